# Rate-limit tier of a GenAI/agent platform: token-bucket and window counters that guard model
# and tool calls. An evicted counter silently lifts a limit, so the policy never evicts
# (noeviction: a full memory fails writes loudly instead); counters are tiny and live for one
# window, so nodes are small and there are no snapshots; the limiter sits on every request's
# path, so its alarms watch CPU early and command latency directly. See README.md for the
# rationale of every default.

locals {
  tier = "rate-limit"

  # Not an input: a rate limiter that evicts under memory pressure stops limiting without an
  # error. noeviction turns memory pressure into OOM errors on writes, which the client sees
  # (and fails open or closed on, by its own policy), and the memory alarm fires well before.
  eviction_policy = "noeviction"

  # Tier defaults for the stack's alarms, merged attribute by attribute with alarm_overrides.
  # engine_cpu 60 %: queueing delay on the single engine thread grows as u/(1-u): 1.5x the service
  #   time at 60 %, 2.3x at 70 %; the limiter adds that delay to every request it guards.
  # memory 70 %: with noeviction a full memory fails every INCR; counters are small and expire, so
  #   steady growth means keys written without a TTL; more headroom than the 80 % of other tiers.
  # evictions 0: noeviction never evicts; any eviction means the policy was changed by hand.
  # read_latency, write_latency on (opt-in on nodes): the limiter's own command latency is added
  #   to every request it guards, so it is watched directly, at the provider's 2 ms average
  #   (SuccessfulRead/WriteRequestLatency, published for Valkey and Redis OSS 7+ nodes).
  tier_alarm_overrides = {
    engine_cpu    = { threshold = 60 }
    memory        = { threshold = 70 }
    evictions     = { threshold = 0 }
    read_latency  = { enabled = true }
    write_latency = { enabled = true }
  }
  alarm_overrides = {
    for k in setunion(keys(local.tier_alarm_overrides), keys(var.alarm_overrides)) : k => {
      enabled   = try(var.alarm_overrides[k].enabled, null) != null ? var.alarm_overrides[k].enabled : try(local.tier_alarm_overrides[k].enabled, null)
      threshold = try(var.alarm_overrides[k].threshold, null) != null ? var.alarm_overrides[k].threshold : try(local.tier_alarm_overrides[k].threshold, null)
    }
  }

  tags = merge({ tier = local.tier }, var.tags)
}

resource "elasticache_stack" "this" {
  name           = var.name
  mode           = "provisioned"
  engine         = var.engine
  engine_version = var.engine_version

  network = {
    subnet_ids                 = var.subnet_ids
    allowed_security_group_ids = var.allowed_security_group_ids
    allowed_cidr_blocks        = var.allowed_cidr_blocks
    port                       = var.port
  }

  provisioned = {
    node_type               = var.node_type
    shards                  = var.shards
    replicas_per_shard      = var.replicas_per_shard
    multi_az                = var.multi_az
    eviction_policy         = local.eviction_policy
    parameters              = var.parameters
    snapshot_retention_days = var.snapshot_retention_days
    snapshot_window         = var.snapshot_window
    maintenance_window      = var.maintenance_window
    apply_immediately       = var.apply_immediately
  }

  security = {
    transit_encryption_mode = "required"
    kms_key_arn             = var.kms_key_arn
    auth_token_wo           = var.auth_token
    auth_token_wo_version   = var.auth_token_version
    user_group_id           = var.user_group_id
  }

  alarms = {
    enabled       = var.alarms_enabled
    alarm_actions = var.alarm_actions
    ok_actions    = var.ok_actions
    overrides     = local.alarm_overrides
  }

  # Prices the load (the stack's `cost`) and enables the serverless-vs-provisioned and right-size
  # recommendations.
  expected_load = var.expected_load

  notification_topic_arn = var.notification_topic_arn
  tags                   = local.tags

  lifecycle {
    precondition {
      condition     = !var.multi_az || length(distinct(var.subnet_ids)) >= 2
      error_message = "multi_az needs subnets in at least two Availability Zones: give two or more subnet_ids, or set multi_az = false (not for production)."
    }
  }
}
