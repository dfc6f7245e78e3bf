# Plan-only tests of what every tier shares: the checks of the callers' inputs, the merge of alarm
# overrides over the tier's, the choice of mode and the preconditions. The tier modules' own tests
# (modules/<tier>/tests) check their defaults. Same needs as those: the provider from the
# filesystem mirror and an AWS-compatible endpoint (make test-modules starts one).

variables {
  # A tier of its own, not one of the three: what the module does with any tier's choices.
  tier = {
    name                    = "test-tier"
    eviction_policies       = ["volatile-lru", "volatile-lfu"]
    serverless_allowed      = true
    node_type               = "cache.r7g.large"
    replicas_per_shard      = 2
    snapshot_retention_days = 1
    avg_request_kb          = 1
    alarm_overrides         = { evictions = { threshold = 0 }, hit_rate = { enabled = false } }
    users                   = { app = "on ~{ns}:* -@all +@read", ops = "on ~* +@all" }
  }
  name = "tftest-stack"
  network = {
    subnet_ids                 = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"]
    allowed_security_group_ids = ["sg-0a1b2c3d4e5f60001"]
  }
}

run "tier_defaults_fill_what_the_caller_leaves_out" {
  command = plan

  variables {
    provisioned = { shards = 2 }
  }

  assert {
    condition     = elasticache_stack.this.provisioned.node_type == "cache.r7g.large" && elasticache_stack.this.provisioned.replicas_per_shard == 2 && elasticache_stack.this.provisioned.shards == 2
    error_message = "The tier's node type and replica count apply beside the caller's shards."
  }
  assert {
    condition     = elasticache_stack.this.cluster_mode_enabled && length(elasticache_stack.this.member_clusters) == 6 && output.reader_endpoint == null
    error_message = "Two shards turn cluster mode on: 2 x (primary + 2 replicas) members, no reader endpoint."
  }
  assert {
    condition     = elasticache_stack.this.provisioned.eviction_policy == "volatile-lru" && output.eviction_policy == "volatile-lru" && elasticache_stack.this.tags["tier"] == "test-tier"
    error_message = "The tier's eviction policy and tier tag reach the stack."
  }
  assert {
    condition     = elasticache_stack.this.network.port == 6379 && elasticache_stack.this.security.transit_encryption_mode == "required"
    error_message = "Port 6379 and TLS required by default."
  }
}

run "alarm_overrides_merge_with_tier_defaults" {
  command = plan

  variables {
    alarms = {
      alarm_actions = ["arn:aws:sns:us-east-1:123456789012:oncall"]
      overrides = {
        evictions    = { enabled = true }
        memory       = { threshold = 75 }
        read_latency = { enabled = true }
      }
    }
  }

  assert {
    condition     = elasticache_stack.this.alarms.overrides["evictions"].threshold == 0 && elasticache_stack.this.alarms.overrides["evictions"].enabled == true
    error_message = "A caller's override keeps the tier's evictions threshold it does not set."
  }
  assert {
    condition     = elasticache_stack.this.alarms.overrides["memory"].threshold == 75 && elasticache_stack.this.alarms.overrides["hit_rate"].enabled == false
    error_message = "A caller's threshold is applied; the tier's other overrides stay."
  }
  assert {
    condition     = contains(elasticache_stack.this.alarms.alarm_actions, "arn:aws:sns:us-east-1:123456789012:oncall") && elasticache_stack.this.alarms.enabled
    error_message = "Alarm actions reach the stack; alarms stay enabled."
  }
  assert {
    condition     = length([for n in elasticache_stack.this.alarm_names : n if endswith(n, "/read-latency")]) == 3 && length([for n in elasticache_stack.this.alarm_names : n if endswith(n, "/write-latency")]) == 0
    error_message = "read_latency.enabled = true adds a read-latency alarm per member; write latency stays off."
  }
}


run "serverless_follows_load_pattern" {
  command = plan

  variables {
    load_pattern  = "spiky"
    serverless    = { max_data_storage_gb = 20 }
    expected_load = { data_gb = 2, requests_per_second = 1000, pattern = "steady" }
  }

  assert {
    condition     = elasticache_stack.this.provisioned == null && elasticache_stack.this.mode == "serverless" && output.eviction_policy == "volatile-lru"
    error_message = "load_pattern = spiky deploys a serverless cache instead of nodes."
  }
  assert {
    condition     = elasticache_stack.this.serverless.snapshot_retention_days == 1 && elasticache_stack.this.serverless.daily_snapshot_time == "03:00" && elasticache_stack.this.expected_load.pattern == "spiky"
    error_message = "The serverless cache takes the tier's snapshots; load_pattern is the load's pattern."
  }
  assert {
    condition     = output.reader_endpoint == null && output.reader_connection_url == null
    error_message = "Serverless caches have no reader endpoint output."
  }
}

run "rejects_an_eviction_policy_parameter" {
  command = plan

  variables {
    provisioned = { parameters = { "maxmemory-policy" = "allkeys-lru" } }
  }

  expect_failures = [var.provisioned]
}

run "rejects_an_eviction_policy_of_another_tier" {
  command = plan

  variables {
    provisioned = { eviction_policy = "allkeys-lru" }
  }

  expect_failures = [var.provisioned]
}

run "accepts_another_policy_the_tier_allows" {
  command = plan

  variables {
    provisioned = { eviction_policy = "volatile-lfu" }
  }

  assert {
    condition     = elasticache_stack.this.provisioned.eviction_policy == "volatile-lfu" && output.eviction_policy == "volatile-lfu"
    error_message = "A policy the tier lists reaches the parameter group."
  }
}

run "rejects_a_stack_without_replicas" {
  command = plan

  variables {
    provisioned = { replicas_per_shard = 0 }
  }

  expect_failures = [var.provisioned]
}

# One bad value for each of these inputs in one plan: terraform test fails the run unless every
# input listed refuses its value. (An input with several checks has a run for each below or above.)
run "rejects_a_bad_value_of_each_input" {
  command = plan

  variables {
    engine             = "memcached"                                                 # no replicas to fail over to
    name               = "Sessions_1"                                                # uppercase and underscore
    network            = merge(var.network, { allowed_cidr_blocks = ["0.0.0.0/0"] }) # open to the world
    auth_token_version = 1                                                           # without auth_token
    serverless         = { max_ecpu_per_second = 10 }                                # below 1000
    expected_load      = { data_gb = 1, requests_per_second = 10, pattern = "bursty" }
    global             = { role = "primary", join = "ldgnf-tftest-stack" } # both a primary and a secondary
  }

  expect_failures = [var.engine, var.name, var.network, var.auth_token_version, var.serverless, var.expected_load, var.global]
}

run "a_global_primary_keeps_the_tiers_settings" {
  command = plan

  variables {
    global = { role = "primary" }
  }

  assert {
    condition     = elasticache_stack.this.global.role == "primary" && elasticache_stack.this.global.join == null
    error_message = "global = { role = \"primary\" } reaches the stack."
  }
  assert {
    condition     = elasticache_stack.this.engine == "valkey" && elasticache_stack.this.provisioned.node_type == "cache.r7g.large" && elasticache_stack.this.provisioned.eviction_policy == "volatile-lru"
    error_message = "A primary sets what its secondaries inherit: engine, the tier's node type and eviction policy."
  }
}

# A secondary inherits these from the datastore and the provider refuses them: the tier's
# defaults, and the caller's, must not reach the stack. The stack is overridden: at plan the
# provider looks the datastore up, and this proves the module's wiring, not the lookup.
run "a_global_secondary_sends_none_of_the_inherited_settings" {
  command = plan

  override_resource {
    target          = elasticache_stack.this
    override_during = plan
  }

  variables {
    global         = { join = "ldgnf-tftest-stack", promote = true }
    engine_version = "8.0"
    provisioned    = { node_type = "cache.r7g.xlarge", shards = 2, parameters = { "timeout" = "300" } }
  }

  assert {
    condition     = elasticache_stack.this.global.join == "ldgnf-tftest-stack" && elasticache_stack.this.global.promote
    error_message = "global.join and global.promote reach the stack."
  }
  assert {
    condition     = local.provisioned.node_type == null && local.provisioned.shards == null && local.provisioned.eviction_policy == null && local.provisioned.parameters == null
    error_message = "A secondary sends no node type, shards, eviction policy or parameters."
  }
  assert {
    condition     = local.secondary && local.provisioned.replicas_per_shard == 2
    error_message = "A secondary keeps the settings of its own region (the tier's replicas)."
  }
}

run "rejects_promote_without_join" {
  command = plan

  variables {
    global = { role = "primary", promote = true }
  }

  expect_failures = [var.global]
}

run "rejects_a_global_without_role_or_join" {
  command = plan

  variables {
    global = {}
  }

  expect_failures = [var.global]
}

run "rejects_serverless_alarms_where_the_tier_has_no_serverless" {
  command = plan

  variables {
    tier   = merge(var.tier, { serverless_allowed = false })
    alarms = { overrides = { storage = { threshold = 1 } } }
  }

  expect_failures = [var.alarms]
}

run "multi_az_needs_two_subnets" {
  command = plan

  variables {
    network = { subnet_ids = ["subnet-0a1b2c3d4e5f60001"] }
  }

  expect_failures = [elasticache_stack.this]
}

run "serverless_rejects_an_auth_token" {
  command = plan

  variables {
    load_pattern       = "spiky"
    auth_token         = "0123456789abcdef-token"
    auth_token_version = 1
  }

  expect_failures = [elasticache_stack.this]
}

run "users_are_the_tiers_with_its_access_strings" {
  command = plan

  variables {
    load_pattern   = "spiky"
    users          = { app = { password_version = 2 }, ops = { authentication = "iam" } }
    user_passwords = { app = ["tftest-password-0123456789", "tftest-password-abcdefghij"] }
  }

  assert {
    condition     = elasticache_stack.this.mode == "serverless" && elasticache_stack.this.security.users.app.access_string == "on ~tftest-stack:* -@all +@read"
    error_message = "A serverless stack authenticates with the tier's users; {ns} becomes the key namespace."
  }
  assert {
    condition     = elasticache_stack.this.security.users.app.passwords_wo_version == 2 && elasticache_stack.this.security.user_group_id == null
    error_message = "A password user gets its password version, in the stack's own user group."
  }
  assert {
    condition     = elasticache_stack.this.security.users.ops.authentication == "iam" && elasticache_stack.this.security.users.ops.passwords_wo_version == null
    error_message = "An IAM user has no password version."
  }
}

run "users_only_the_tier_names" {
  command = plan

  variables {
    users = { admin = { password_version = 1 } }
  }

  expect_failures = [var.users]
}

run "users_exclude_other_authentication" {
  command = plan

  variables {
    users    = { app = { password_version = 1 } }
    security = { user_group_id = "elsewhere" }
  }

  expect_failures = [var.users]
}

run "placement_knobs_reach_the_stack" {
  command = plan

  variables {
    network     = merge(var.network, { additional_security_group_ids = ["sg-0a1b2c3d4e5f6000f"] })
    provisioned = { auto_minor_version_upgrade = false }
  }

  assert {
    condition     = elasticache_stack.this.network.additional_security_group_ids == toset(["sg-0a1b2c3d4e5f6000f"]) && elasticache_stack.this.provisioned.auto_minor_version_upgrade == false
    error_message = "The shared platform group and the minor-upgrade switch reach the stack."
  }
}

run "auto_minor_version_upgrade_defaults_as_aws" {
  command = plan

  assert {
    condition     = elasticache_stack.this.provisioned.auto_minor_version_upgrade && length(elasticache_stack.this.network.additional_security_group_ids) == 0
    error_message = "Minor upgrades stay on (AWS's default) and no group is attached unless asked."
  }
}

run "rejects_an_additional_group_that_is_not_an_id" {
  command = plan

  variables {
    network = merge(var.network, { additional_security_group_ids = ["platform-monitoring"] })
  }

  expect_failures = [var.network]
}

run "autoscaling_reaches_the_stack_with_its_cost_range" {
  command = plan

  variables {
    provisioned = {
      shards             = 2
      replicas_per_shard = 1
      autoscaling        = { replicas = { max = 3, target_cpu_percent = 60 } }
    }
  }

  assert {
    condition     = elasticache_stack.this.provisioned.autoscaling.replicas.max == 3 && elasticache_stack.this.provisioned.autoscaling.replicas.target_cpu_percent == 60 && elasticache_stack.this.provisioned.autoscaling.shards == null
    error_message = "The caller's autoscaling reaches the stack as given."
  }
  assert {
    condition     = elasticache_stack.this.cost.monthly_usd_min == elasticache_stack.this.cost.monthly_usd && abs(elasticache_stack.this.cost.monthly_usd_max - 2 * elasticache_stack.this.cost.monthly_usd) < 0.02
    error_message = "The cost range runs from the configured 2 x 2 nodes (the floor) to 2 x 4 at the replicas' maximum (to the cent)."
  }
}

run "serverless_minimums_reach_the_stack" {
  command = plan

  variables {
    load_pattern = "spiky"
    serverless   = { max_ecpu_per_second = 20000, min_ecpu_per_second = 5000, min_data_storage_gb = 10 }
  }

  assert {
    condition     = elasticache_stack.this.serverless.min_ecpu_per_second == 5000 && elasticache_stack.this.serverless.min_data_storage_gb == 10
    error_message = "The pre-warming minimums reach the serverless cache."
  }
  assert {
    condition     = elasticache_stack.this.cost.monthly_usd_min > 0 && elasticache_stack.this.cost.monthly_usd_max == null
    error_message = "The minimums are priced as a floor; without a data limit nothing caps the cost."
  }
}

run "rejects_a_serverless_minimum_above_its_maximum" {
  command = plan

  variables {
    load_pattern = "spiky"
    serverless   = { max_ecpu_per_second = 2000, min_ecpu_per_second = 5000 }
  }

  expect_failures = [var.serverless]
}

# The data inputs (final snapshot, restore, preserving replacement) reach the stack as given.
run "data_inputs_reach_the_stack" {
  command = plan

  variables {
    final_snapshot_name      = "tftest-final"
    restore_from             = { rdb_s3_arns = ["arn:aws:s3:::tftest-bucket/seed.rdb"] }
    preserve_data_on_replace = true
    keep_preserve_snapshot   = true
  }

  assert {
    condition     = elasticache_stack.this.provisioned.final_snapshot_name == "tftest-final" && tolist(elasticache_stack.this.restore_from.rdb_s3_arns) == tolist(["arn:aws:s3:::tftest-bucket/seed.rdb"])
    error_message = "final_snapshot_name becomes the node-based final snapshot; restore_from reaches the stack."
  }
  assert {
    condition     = elasticache_stack.this.preserve_data_on_replace && elasticache_stack.this.keep_preserve_snapshot && elasticache_stack.this.restore_from.snapshot_name == null
    error_message = "preserve_data_on_replace and keep_preserve_snapshot reach the stack; unset restore sources stay null."
  }
}

run "older_provisioned_final_snapshot_name_still_works" {
  command = plan

  variables {
    provisioned = { final_snapshot_name = "tftest-older" }
  }

  assert {
    condition     = elasticache_stack.this.provisioned.final_snapshot_name == "tftest-older" && elasticache_stack.this.restore_from == null && !elasticache_stack.this.preserve_data_on_replace
    error_message = "provisioned.final_snapshot_name keeps working; without data inputs the stack starts empty and replaces without a snapshot."
  }
}

run "a_serverless_stack_takes_the_final_snapshot_name" {
  command = plan

  variables {
    load_pattern        = "spiky"
    final_snapshot_name = "tftest-final"
  }

  assert {
    condition     = elasticache_stack.this.serverless.final_snapshot_name == "tftest-final"
    error_message = "A serverless stack takes final_snapshot_name."
  }
}

# Each run below refuses one check of each input it names.
run "rejects_two_restore_sources_a_bad_final_snapshot_name_and_a_lone_keep" {
  command = plan

  variables {
    final_snapshot_name    = "1-final"
    restore_from           = { snapshot_name = "tftest-nightly", rdb_s3_arns = ["arn:aws:s3:::tftest-bucket/seed.rdb"] }
    keep_preserve_snapshot = true
  }

  expect_failures = [var.final_snapshot_name, var.restore_from, var.keep_preserve_snapshot]
}

run "rejects_a_restore_source_of_the_other_mode_and_two_final_snapshot_names" {
  command = plan

  variables {
    load_pattern        = "spiky"
    restore_from        = { snapshot_name = "tftest-nightly" }
    provisioned         = { final_snapshot_name = "tftest-older" }
    final_snapshot_name = "tftest-final"
  }

  expect_failures = [var.restore_from, var.final_snapshot_name]
}

run "rejects_an_rdb_file_that_is_not_an_s3_object" {
  command = plan

  variables {
    restore_from             = { rdb_s3_arns = ["arn:aws:s3:::tftest-bucket"] } # a bucket, no object
    preserve_data_on_replace = true
  }

  expect_failures = [var.restore_from]
}

run "rejects_a_snapshot_arn_of_another_service" {
  command = plan

  variables {
    restore_from = { snapshot_arns = ["arn:aws:rds:us-east-1:123456789012:snapshot:tftest"] } # an RDS snapshot
    load_pattern = "spiky"
  }

  expect_failures = [var.restore_from]
}

run "rejects_a_bad_snapshot_name_to_restore" {
  command = plan

  variables {
    final_snapshot_name = "tftest-final"
    restore_from        = { snapshot_name = "tftest_nightly" } # an underscore
  }

  expect_failures = [var.restore_from]
}
