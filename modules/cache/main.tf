# Hot-cache tier of a GenAI/agent platform: prompt templates, user profiles, retrieval results
# and model responses, all rebuildable from their origin. So: allkeys-lru (make room for new
# entries by dropping the least recently used, TTL or not), cluster mode when more than one shard
# is asked for, no snapshots, an alarm when the hit rate says the cache stopped paying for itself,
# and serverless for spiky load. See README.md for the rationale of every default.

locals {
  tier = "cache"

  # load_pattern = "spiky" selects a serverless cache, which scales per request. One of the two
  # elasticache_stack blocks below exists (count), chosen by mode: elasticache_stack cannot yet
  # validate a nested object that is unknown as a whole, which `provisioned = cond ? {...} : null`
  # is during `terraform validate`. A change of mode replaces the cache either way.
  serverless = var.load_pattern == "spiky"

  # Tier defaults for the stack's alarms, merged attribute by attribute with alarm_overrides.
  # hit_rate 50 %: the seeds' alarm level. 80 % is the target to tune towards (TTLs, key design),
  # but retrieval and LLM-response caches have long-tail keys and run usefully at 60-80 %; below
  # 50 % most requests pay the cache's round trip and the origin's, which is worth a page.
  tier_alarm_overrides = {
    hit_rate = { enabled = null, threshold = 50 }
  }
  alarm_overrides = {
    for k in distinct(concat(keys(local.tier_alarm_overrides), keys(var.alarm_overrides))) : k => {
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

resource "elasticache_stack" "provisioned" {
  count = local.serverless ? 0 : 1

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
    eviction_policy         = var.eviction_policy
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

  notification_topic_arn = var.notification_topic_arn
  tags                   = local.tags

  lifecycle {
    precondition {
      condition     = !var.multi_az || length(distinct(var.subnet_ids)) >= 2
      error_message = "multi_az needs subnets in at least two Availability Zones: give two or more subnet_ids, or set multi_az = false (not for production)."
    }
  }
}

# load_pattern = "spiky": a serverless cache. It scales per request and keeps its data in several
# AZs by itself; at max_data_storage_gb it evicts keys that carry a TTL, least recently used
# first (its eviction policy is not configurable, so eviction_policy applies to nodes only).
resource "elasticache_stack" "serverless" {
  count = local.serverless ? 1 : 0

  name           = var.name
  mode           = "serverless"
  engine         = var.engine
  engine_version = var.engine_version

  network = {
    subnet_ids                 = var.subnet_ids
    allowed_security_group_ids = var.allowed_security_group_ids
    allowed_cidr_blocks        = var.allowed_cidr_blocks
    port                       = var.port
  }

  serverless = {
    max_data_storage_gb     = var.serverless.max_data_storage_gb
    max_ecpu_per_second     = var.serverless.max_ecpu_per_second
    daily_snapshot_time     = local.serverless_snapshot_time
    snapshot_retention_days = local.serverless_snapshot_retention_days
  }

  security = {
    transit_encryption_mode = "required"
    kms_key_arn             = var.kms_key_arn
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
      condition     = var.auth_token_version == null
      error_message = "A serverless cache (load_pattern = \"spiky\") authenticates with RBAC only: remove auth_token and set user_group_id."
    }
  }
}

locals {
  # The attributes of the one stack that exists (attribute by attribute: the whole resource
  # object would carry the sensitivity of its write-only AUTH token into every output).
  stack = {
    name                 = one(concat(elasticache_stack.provisioned[*].name, elasticache_stack.serverless[*].name))
    arn                  = one(concat(elasticache_stack.provisioned[*].arn, elasticache_stack.serverless[*].arn))
    mode                 = one(concat(elasticache_stack.provisioned[*].mode, elasticache_stack.serverless[*].mode))
    engine               = one(concat(elasticache_stack.provisioned[*].engine, elasticache_stack.serverless[*].engine))
    engine_version       = one(concat(elasticache_stack.provisioned[*].engine_version, elasticache_stack.serverless[*].engine_version))
    endpoint             = one(concat(elasticache_stack.provisioned[*].endpoint, elasticache_stack.serverless[*].endpoint))
    reader_endpoint      = one(concat(elasticache_stack.provisioned[*].reader_endpoint, elasticache_stack.serverless[*].reader_endpoint))
    port                 = one(concat(elasticache_stack.provisioned[*].port, elasticache_stack.serverless[*].port))
    cluster_mode_enabled = one(concat(elasticache_stack.provisioned[*].cluster_mode_enabled, elasticache_stack.serverless[*].cluster_mode_enabled))
    security_group_id    = one(concat(elasticache_stack.provisioned[*].security_group_id, elasticache_stack.serverless[*].security_group_id))
    security_group_rules = one(concat(elasticache_stack.provisioned[*].security_group_rules, elasticache_stack.serverless[*].security_group_rules))
    subnet_group_name    = one(concat(elasticache_stack.provisioned[*].subnet_group_name, elasticache_stack.serverless[*].subnet_group_name))
    parameter_group_name = one(concat(elasticache_stack.provisioned[*].parameter_group_name, elasticache_stack.serverless[*].parameter_group_name))
    vpc_id               = one(concat(elasticache_stack.provisioned[*].vpc_id, elasticache_stack.serverless[*].vpc_id))
    member_clusters      = one(concat(elasticache_stack.provisioned[*].member_clusters, elasticache_stack.serverless[*].member_clusters))
    alarm_names          = one(concat(elasticache_stack.provisioned[*].alarm_names, elasticache_stack.serverless[*].alarm_names))
  }

  # Snapshots of the serverless cache: the provisioned snapshot hour and retention unless set.
  serverless_snapshot_time           = coalesce(var.serverless.daily_snapshot_time, split("-", var.snapshot_window)[0])
  serverless_snapshot_retention_days = coalesce(var.serverless.snapshot_retention_days, var.snapshot_retention_days)
}
