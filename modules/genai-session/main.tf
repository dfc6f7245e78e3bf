# Session tier of a GenAI/agent platform: session state, idempotency keys and short-lived agent
# memory (seconds to hours). Losing a node must lose no session, and memory pressure must never
# silently drop a live session, so: replicas in other AZs, daily snapshots, volatile-lru (only
# keys that carry a TTL can be evicted) and an alarm on any eviction. See README.md for the
# rationale of every default.

locals {
  tier = "genai-session"

  # The session tier's eviction policy is not an input: volatile-lru evicts only keys that carry a
  # TTL, least recently used first. Sessions always carry one (their idle timeout), so under
  # memory pressure the stalest sessions go first and keys written without a TTL (a bug) are
  # never evicted; the evictions alarm below pages on the first eviction either way.
  eviction_policy = "volatile-lru"

  # load_pattern = "spiky" selects a serverless cache.
  serverless = var.load_pattern == "spiky"
  mode       = local.serverless ? "serverless" : "provisioned"

  # Tier defaults for the stack's alarms, merged attribute by attribute with alarm_overrides.
  # evictions: 0 -> any eviction alarms: a session evicted is a user logged out or an agent
  # that forgets its run.
  tier_alarm_overrides = {
    evictions = { enabled = null, threshold = 0 }
  }
  alarm_overrides = {
    for k in distinct(concat(keys(local.tier_alarm_overrides), keys(var.alarm_overrides))) : k => {
      enabled   = try(var.alarm_overrides[k].enabled, null) != null ? var.alarm_overrides[k].enabled : try(local.tier_alarm_overrides[k].enabled, null)
      threshold = try(var.alarm_overrides[k].threshold, null) != null ? var.alarm_overrides[k].threshold : try(local.tier_alarm_overrides[k].threshold, null)
    }
  }

  tags = merge({ tier = local.tier }, var.tags)
}

resource "elasticache_stack" "this" {
  name           = var.name
  mode           = local.mode
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
    final_snapshot_name     = var.final_snapshot_name
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

  notification_topic_arn = var.notification_topic_arn
  tags                   = local.tags

  lifecycle {
    precondition {
      condition     = !local.serverless
      error_message = "load_pattern = \"spiky\" deploys a serverless cache, which needs elasticache_stack mode = \"serverless\"; this provider version supports only provisioned stacks. Use load_pattern = \"steady\"."
    }
    precondition {
      condition     = !var.multi_az || length(distinct(var.subnet_ids)) >= 2
      error_message = "multi_az needs subnets in at least two Availability Zones: give two or more subnet_ids, or set multi_az = false (not for production)."
    }
  }
}
