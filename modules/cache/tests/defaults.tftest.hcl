# Plan-only tests of the cache tier's defaults and its own checks (those of every input, shared
# by the tiers, are tested in ../internal/stack/tests). They need the provider (from the
# filesystem mirror: TF_CLI_CONFIG_FILE=.build/terraformrc) and an AWS-compatible endpoint in the
# environment (AWS_ENDPOINT_URL=<emulator> AWS_ACCESS_KEY_ID=test ...); nothing is created.
#   make test-modules            # starts the emulator and runs every module's tests
#   cd modules/cache && terraform init && terraform test

variables {
  name                       = "tftest-cache"
  subnet_ids                 = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"]
  allowed_security_group_ids = ["sg-0a1b2c3d4e5f60001"]
}

run "defaults" {
  command = plan

  assert {
    condition     = module.stack.stack.mode == "provisioned" && module.stack.stack.engine == "valkey"
    error_message = "The cache runs provisioned Valkey for steady load."
  }
  assert {
    condition     = module.stack.stack.provisioned.eviction_policy == "allkeys-lru" && output.eviction_policy == "allkeys-lru"
    error_message = "A cache evicts any key: allkeys-lru."
  }
  assert {
    condition     = module.stack.stack.provisioned.node_type == "cache.r7g.large" && module.stack.stack.provisioned.shards == 1
    error_message = "Default: one shard of cache.r7g.large."
  }
  assert {
    condition     = module.stack.stack.provisioned.replicas_per_shard == 1 && module.stack.stack.provisioned.multi_az
    error_message = "One replica per shard in another AZ."
  }
  assert {
    condition     = module.stack.stack.provisioned.snapshot_retention_days == 0
    error_message = "A cache refills from its origin: no snapshots."
  }
  assert {
    condition     = module.stack.stack.cluster_mode_enabled == false
    error_message = "One shard: no cluster mode."
  }
  assert {
    condition     = length([for n in module.stack.stack.alarm_names : n if endswith(n, "/hit-rate")]) == 2
    error_message = "Every member carries a hit-rate alarm (allkeys-* policy)."
  }
  assert {
    condition     = module.stack.stack.alarms.overrides["hit_rate"].threshold == 50 && strcontains(module.stack.stack.alarm_definitions["elasticache/tftest-cache/001/hit-rate"], "CacheHitRate Average < 50 ")
    error_message = "The hit-rate alarm fires below 50 %."
  }
  assert {
    condition     = module.stack.stack.tags["tier"] == "cache"
    error_message = "Components are tagged with their tier."
  }
  assert {
    condition = { for k, row in output.ttl_guidance : k => [row.min_seconds, row.max_seconds] } == {
      configuration   = [300, 900]
      user_profile    = [60, 300]
      product_catalog = [900, 3600]
      api_response    = [30, 300]
      session_data    = [1800, 3600]
    }
    error_message = "The seeds' TTL table: configuration 5-15 min, user profiles 1-5 min, catalog 15-60 min, API responses 30-300 s, sessions 30-60 min."
  }
  assert {
    condition     = output.ttl_jitter.percent == 10 && output.default_ttl_seconds == 300
    error_message = "10 % jitter, 5 minute default TTL."
  }
  assert {
    condition     = output.cost.monthly_usd > 0 && output.cost.breakdown.nodes > 0
    error_message = "The cost of the nodes is known at plan time."
  }
  assert {
    condition     = length([for r in output.recommendations : r if r.kind == "reserved_nodes"]) == 1
    error_message = "Steady nodes get a reserved-node recommendation."
  }
}

run "allkeys_lfu_is_accepted" {
  command = plan

  variables {
    provisioned = { eviction_policy = "allkeys-lfu" }
  }

  assert {
    condition     = module.stack.stack.provisioned.eviction_policy == "allkeys-lfu" && output.eviction_policy == "allkeys-lfu"
    error_message = "allkeys-lfu reaches the parameter group."
  }
}

run "hit_rate_alarm_can_be_tuned_or_dropped" {
  command = plan

  variables {
    alarms = { overrides = { hit_rate = { enabled = false } } }
  }

  assert {
    condition     = length([for n in module.stack.stack.alarm_names : n if endswith(n, "/hit-rate")]) == 0
    error_message = "hit_rate.enabled = false drops the alarm."
  }
}

run "rejects_a_ttl_without_expiry" {
  command = plan

  # An entry without expiry is never refreshed from its origin. (A policy other than allkeys-*
  # is refused by ../internal/stack, tested there.)
  variables {
    default_ttl_seconds = 0
  }

  expect_failures = [var.default_ttl_seconds]
}

run "spiky_load_selects_serverless" {
  command = plan

  variables {
    users          = { app = { password_version = 1 } }
    user_passwords = { app = ["tftest-password-0123456789"] }
    load_pattern   = "spiky"
    serverless     = { max_data_storage_gb = 10, max_ecpu_per_second = 50000 }
    alarms         = { overrides = { write_latency = { threshold = 1000 } } }
    expected_load = {
      data_gb             = 5
      requests_per_second = 2000
      peak_to_average     = 10
    }
  }

  assert {
    condition     = module.stack.stack.provisioned == null && module.stack.stack.mode == "serverless" && output.mode == "serverless"
    error_message = "load_pattern = spiky deploys a serverless cache instead of nodes."
  }
  assert {
    condition     = module.stack.stack.serverless.max_ecpu_per_second == 50000 && module.stack.stack.serverless.snapshot_retention_days == 0
    error_message = "The caller's limits, and no snapshots, reach the serverless cache."
  }
  assert {
    condition     = strcontains(module.stack.stack.alarm_definitions["elasticache/tftest-cache/hit-rate"], "CacheHitRate Average < 50 ")
    error_message = "The serverless cache carries the tier's hit-rate alarm (below 50 %)."
  }
  assert {
    condition     = strcontains(module.stack.stack.alarm_definitions["elasticache/tftest-cache/write-latency"], "SuccessfulWriteRequestLatency Average > 1000 ")
    error_message = "The serverless latency alarms take the caller's threshold."
  }
  assert {
    condition     = output.eviction_policy == "volatile-lru" && output.parameter_group_name == null
    error_message = "A serverless cache's eviction policy is fixed (keys with a TTL) and it has no parameter group."
  }
  assert {
    condition     = module.stack.stack.expected_load.pattern == "spiky" && output.cost.breakdown.nodes == 0 && output.cost.breakdown.ecpu > 0
    error_message = "The spiky load prices the serverless cache's storage and ECPUs."
  }
  assert {
    condition     = length([for r in output.recommendations : r if contains(["serverless", "provisioned"], r.kind)]) == 1
    error_message = "The spiky load is compared with nodes."
  }
  assert {
    condition     = module.stack.stack.security.users.app.access_string == "on ~tftest-cache:* -@all +@read +@write +@keyspace +@connection -@dangerous"
    error_message = "The cache tier's app user (RBAC, as a serverless cache needs) may touch only its namespace's keys, with no admin or keyspace-wide commands."
  }
}
