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

  # load_pattern = "spiky" selects a serverless cache, which scales per request; "steady" selects
  # nodes. One stack either way: a change of mode replaces it (AWS cannot convert between them).
  serverless = var.load_pattern == "spiky"

  # Tier defaults for the stack's alarms, merged attribute by attribute with alarm_overrides.
  # evictions: 0 -> any eviction alarms: a session evicted is a user logged out or an agent
  # that forgets its run. hit_rate: off (serverless caches have one by default): a session store
  # is not a cache, and a miss is a new or expired session, not a problem.
  tier_alarm_overrides = {
    evictions = { threshold = 0 }
    hit_rate  = { enabled = false }
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
  mode           = local.serverless ? "serverless" : "provisioned"
  engine         = var.engine
  engine_version = var.engine_version

  network = {
    subnet_ids                 = var.subnet_ids
    allowed_security_group_ids = var.allowed_security_group_ids
    allowed_cidr_blocks        = var.allowed_cidr_blocks
    port                       = var.port
  }

  # load_pattern = "steady": a replication group on nodes.
  provisioned = local.serverless ? null : {
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

  # load_pattern = "spiky": a serverless cache. It keeps its data in several AZs by itself, and
  # at max_data_storage_gb evicts only keys that carry a TTL (least recently used first), which is
  # the session tier's volatile-lru; without a limit it grows instead of evicting. Snapshots: the
  # provisioned snapshot hour and retention unless set.
  serverless = local.serverless ? {
    max_data_storage_gb     = var.serverless.max_data_storage_gb
    max_ecpu_per_second     = var.serverless.max_ecpu_per_second
    daily_snapshot_time     = coalesce(var.serverless.daily_snapshot_time, split("-", var.snapshot_window)[0])
    snapshot_retention_days = coalesce(var.serverless.snapshot_retention_days, var.snapshot_retention_days)
  } : null

  security = {
    transit_encryption_mode = "required"
    kms_key_arn             = var.kms_key_arn
    # Serverless caches authenticate with RBAC only: the token is refused by the precondition.
    auth_token_wo         = local.serverless ? null : var.auth_token
    auth_token_wo_version = local.serverless ? null : var.auth_token_version
    user_group_id         = var.user_group_id
  }

  alarms = {
    enabled       = var.alarms_enabled
    alarm_actions = var.alarm_actions
    ok_actions    = var.ok_actions
    overrides     = local.alarm_overrides
  }

  # Prices the load (the stack's `cost`) and enables the serverless-vs-provisioned and right-size
  # recommendations; the load's pattern is the deployment's.
  expected_load = var.expected_load == null ? null : {
    data_gb             = var.expected_load.data_gb
    requests_per_second = var.expected_load.requests_per_second
    avg_request_kb      = var.expected_load.avg_request_kb
    pattern             = var.load_pattern
    peak_to_average     = var.expected_load.peak_to_average
  }

  notification_topic_arn = var.notification_topic_arn
  tags                   = local.tags

  lifecycle {
    precondition {
      condition     = local.serverless || !var.multi_az || length(distinct(var.subnet_ids)) >= 2
      error_message = "multi_az needs subnets in at least two Availability Zones: give two or more subnet_ids, or set multi_az = false (not for production)."
    }
    precondition {
      condition     = !local.serverless || var.auth_token_version == null
      error_message = "A serverless cache (load_pattern = \"spiky\") authenticates with RBAC only: remove auth_token and set user_group_id."
    }
  }
}

# Versions before one stack block had one per mode; the node-based one moves here without a change
# (a serverless one: terraform state mv, see README.md).
moved {
  from = elasticache_stack.provisioned[0]
  to   = elasticache_stack.this
}
