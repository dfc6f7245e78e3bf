# The one elasticache_stack of every tier module (genai-session, rate-limit, cache). A tier module
# passes its caller's inputs through and fixes, in `var.tier`, what differs between tiers; the
# stack's wiring, the merge of alarm overrides, the choice of mode and the checks of every input
# live here once. Internal: not a module to call directly (it has no defaults for the tier).

locals {
  # Alarm keys the stack accepts on nodes, and in addition on serverless caches.
  node_alarms       = ["engine_cpu", "cpu", "memory", "evictions", "connections", "replication_lag", "swap", "hit_rate", "read_latency", "write_latency"]
  serverless_alarms = ["throttled_commands", "ecpu", "storage"]

  # load_pattern = "spiky" selects a serverless cache, which scales per request; "steady" selects
  # nodes. One stack either way: a change of mode replaces it (AWS cannot convert between them).
  # A tier whose eviction policy a serverless cache cannot honour (noeviction) stays on nodes.
  serverless = var.tier.serverless_allowed && var.load_pattern == "spiky"

  # A Global Datastore secondary inherits engine, version, node type, shards, eviction policy and
  # parameters from the datastore, and the provider refuses them on a stack with `join`: the
  # tier's defaults are not sent (null) there. Read from role, not join: a join naming the
  # primary module's output is unknown until that stack exists, and so would be the settings.
  secondary = var.global == null ? false : var.global.role == null

  # The caller's node settings over the tier's defaults (the eviction policy: one the tier allows,
  # checked in variables.tf).
  provisioned = merge(var.provisioned, {
    node_type               = local.secondary ? null : coalesce(var.provisioned.node_type, var.tier.node_type)
    shards                  = local.secondary ? null : var.provisioned.shards
    parameters              = local.secondary ? null : var.provisioned.parameters
    replicas_per_shard      = coalesce(var.provisioned.replicas_per_shard, var.tier.replicas_per_shard)
    snapshot_retention_days = coalesce(var.provisioned.snapshot_retention_days, var.tier.snapshot_retention_days)
    eviction_policy         = local.secondary ? null : coalesce(var.provisioned.eviction_policy, var.tier.eviction_policies[0])
    # final_snapshot_name serves either mode; provisioned.final_snapshot_name is its older form
    # (variables.tf refuses both).
    final_snapshot_name = try(coalesce(var.final_snapshot_name, var.provisioned.final_snapshot_name), null)
  })

  # The tier's alarm defaults merged with the caller's overrides attribute by attribute: a caller
  # who sets only `enabled` keeps the tier's threshold, and the other way round.
  alarm_overrides = {
    for k in setunion(keys(var.tier.alarm_overrides), keys(var.alarms.overrides)) : k => {
      enabled   = try(coalesce(try(var.alarms.overrides[k].enabled, null), try(var.tier.alarm_overrides[k].enabled, null)), null)
      threshold = try(coalesce(try(var.alarms.overrides[k].threshold, null), try(var.tier.alarm_overrides[k].threshold, null)), null)
    }
  }

  # Where clients connect (the stack's `endpoint`): the primary endpoint, the configuration
  # endpoint with cluster mode, or the serverless endpoint. Replica reads through the reader
  # endpoint: nodes without cluster mode only (cluster-aware clients find the replicas themselves;
  # serverless caches read replicas through their own port).
  # The tier's users the caller asked for, with the tier's access strings over the namespace.
  users = length(var.users) == 0 ? null : {
    for k, u in var.users : k => {
      access_string        = replace(var.tier.users[k], "{ns}", coalesce(var.key_namespace, var.name))
      authentication       = u.authentication
      passwords_wo_version = u.password_version
    }
  }

  endpoint = elasticache_stack.this.endpoint
  # tostring: a typed null, so that an output holding it compares equal between plan and state.
  reader = tostring(local.serverless || elasticache_stack.this.cluster_mode_enabled == true ? null : try(coalesce(elasticache_stack.this.reader_endpoint), null))
}

resource "elasticache_stack" "this" {
  name           = var.name
  mode           = local.serverless ? "serverless" : "provisioned"
  engine         = local.secondary ? null : var.engine
  engine_version = local.secondary ? null : var.engine_version
  network        = var.network
  global         = var.global

  provisioned = local.serverless ? null : local.provisioned

  # A serverless cache keeps its data in several AZs by itself and, at max_data_storage_gb, evicts
  # only keys that carry a TTL (its policy is not configurable). Snapshots: the node snapshot hour
  # and retention unless set.
  serverless = local.serverless ? {
    max_data_storage_gb     = var.serverless.max_data_storage_gb
    max_ecpu_per_second     = var.serverless.max_ecpu_per_second
    min_data_storage_gb     = var.serverless.min_data_storage_gb
    min_ecpu_per_second     = var.serverless.min_ecpu_per_second
    daily_snapshot_time     = coalesce(var.serverless.daily_snapshot_time, split("-", local.provisioned.snapshot_window)[0])
    snapshot_retention_days = coalesce(var.serverless.snapshot_retention_days, local.provisioned.snapshot_retention_days)
    final_snapshot_name     = var.final_snapshot_name
  } : null

  # Data to start from (read at creation only) and to carry through a replacement; tiers whose
  # data is not worth restoring (rate-limit) leave these at their defaults.
  restore_from             = var.restore_from
  preserve_data_on_replace = var.preserve_data_on_replace
  keep_preserve_snapshot   = var.keep_preserve_snapshot

  security = {
    transit_encryption_mode = "required"
    kms_key_arn             = var.security.kms_key_arn
    # Serverless caches authenticate with RBAC only: the token is refused by the precondition.
    auth_token_wo         = local.serverless ? null : var.auth_token
    auth_token_wo_version = local.serverless ? null : var.auth_token_version
    user_group_id         = var.security.user_group_id
    # The tier's users the caller asked for, with their passwords (write-only).
    users = local.users == null ? null : {
      for k, u in local.users : k => merge(u, { passwords_wo = u.authentication == "iam" ? null : lookup(var.user_passwords, k, null) })
    }
  }

  alarms = merge(var.alarms, { overrides = local.alarm_overrides })

  # Prices the load (the stack's `cost`) and enables the serverless-vs-provisioned and right-size
  # recommendations. Where load_pattern chooses the mode, it is also the load's pattern.
  expected_load = var.expected_load == null ? null : merge(var.expected_load, {
    avg_request_kb = coalesce(var.expected_load.avg_request_kb, var.tier.avg_request_kb)
    pattern        = var.tier.serverless_allowed ? var.load_pattern : var.expected_load.pattern
  })

  notification_topic_arn = var.notification_topic_arn
  tags                   = merge({ tier = var.tier.name }, var.tags)

  lifecycle {
    precondition {
      condition     = local.serverless || !local.provisioned.multi_az || length(distinct(var.network.subnet_ids)) >= 2
      error_message = "multi_az needs subnets in at least two Availability Zones: give two or more subnet_ids, or set provisioned.multi_az = false (not for production)."
    }
    precondition {
      condition     = !local.serverless || var.auth_token_version == null
      error_message = "A serverless cache (load_pattern = \"spiky\") authenticates with RBAC only: remove auth_token and set users (or security.user_group_id)."
    }
  }
}
