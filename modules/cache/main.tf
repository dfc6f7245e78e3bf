# Hot-cache tier of a GenAI/agent platform: prompt templates, user profiles, retrieval results
# and model responses, all rebuildable from their origin. So: allkeys-lru (make room for new
# entries by dropping the least recently used, TTL or not), cluster mode when more than one shard
# is asked for, no snapshots, an alarm when the hit rate says the cache stopped paying for itself,
# and serverless for spiky load. See README.md for the rationale of every default.

locals {
  tier = "cache"

  # load_pattern = "spiky" selects a serverless cache, which scales per request; "steady" selects
  # nodes. One stack either way: a change of mode replaces it (AWS cannot convert between them).
  serverless = var.load_pattern == "spiky"

  # Tier defaults for the stack's alarms, merged attribute by attribute with alarm_overrides.
  # hit_rate 50 %: the seeds' alarm level. 80 % is the target to tune towards (TTLs, key design),
  # but retrieval and LLM-response caches have long-tail keys and run usefully at 60-80 %; below
  # 50 % most requests pay the cache's round trip and the origin's, which is worth a page.
  tier_alarm_overrides = {
    hit_rate = { threshold = 50 }
  }
  alarm_overrides = {
    for k in setunion(keys(local.tier_alarm_overrides), keys(var.alarm_overrides)) : k => {
      enabled   = try(var.alarm_overrides[k].enabled, null) != null ? var.alarm_overrides[k].enabled : try(local.tier_alarm_overrides[k].enabled, null)
      threshold = try(var.alarm_overrides[k].threshold, null) != null ? var.alarm_overrides[k].threshold : try(local.tier_alarm_overrides[k].threshold, null)
    }
  }

  # The seeds' TTL table (002), with the GenAI data each row fits.
  ttl_guidance = {
    configuration = {
      min_seconds = 300, max_seconds = 900
      rationale   = "Changes infrequently, slight staleness acceptable."
      fits        = "prompt templates, model routing tables, feature flags"
    }
    user_profile = {
      min_seconds = 60, max_seconds = 300
      rationale   = "Changes occasionally, brief staleness tolerable."
      fits        = "user and tenant profiles, entitlements"
    }
    product_catalog = {
      min_seconds = 900, max_seconds = 3600
      rationale   = "Changes via admin updates, not user-facing mutations."
      fits        = "tool and agent catalogs, model lists, document metadata"
    }
    api_response = {
      min_seconds = 30, max_seconds = 300
      rationale   = "Depends on data freshness requirements."
      fits        = "retrieval results, embeddings lookups, LLM responses for identical prompts"
    }
    session_data = {
      min_seconds = 1800, max_seconds = 3600
      rationale   = "Match session timeout policy (sessions belong in the genai-session module, whose policy never evicts them)."
      fits        = "conversation context that can be rebuilt"
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
    eviction_policy         = var.eviction_policy
    parameters              = var.parameters
    snapshot_retention_days = var.snapshot_retention_days
    snapshot_window         = var.snapshot_window
    maintenance_window      = var.maintenance_window
    apply_immediately       = var.apply_immediately
  }

  # load_pattern = "spiky": a serverless cache. It scales per request and keeps its data in several
  # AZs by itself; at max_data_storage_gb it evicts keys that carry a TTL, least recently used
  # first (its eviction policy is not configurable, so eviction_policy applies to nodes only).
  # Snapshots: the provisioned snapshot hour and retention unless set.
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
