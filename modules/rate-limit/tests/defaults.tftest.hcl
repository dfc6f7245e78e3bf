# Plan-only tests of the rate-limit tier's defaults (the checks of every input, shared by the
# tiers, are tested in ../internal/stack/tests). They need the provider (from
# the filesystem mirror: TF_CLI_CONFIG_FILE=.build/terraformrc) and an AWS-compatible endpoint in
# the environment (AWS_ENDPOINT_URL=<emulator> AWS_ACCESS_KEY_ID=test ...); nothing is created.
#   make test-modules            # starts the emulator and runs every module's tests
#   cd modules/rate-limit && terraform init && terraform test

variables {
  name                       = "tftest-limits"
  subnet_ids                 = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"]
  allowed_security_group_ids = ["sg-0a1b2c3d4e5f60001"]
}

run "defaults" {
  command = plan

  assert {
    condition     = module.stack.stack.mode == "provisioned" && output.mode == "provisioned" && module.stack.stack.engine == "valkey"
    error_message = "The limiter runs provisioned Valkey."
  }
  assert {
    condition     = module.stack.stack.provisioned.eviction_policy == "noeviction" && output.eviction_policy == "noeviction"
    error_message = "A rate limiter must never evict a counter: noeviction."
  }
  assert {
    condition     = module.stack.stack.provisioned.node_type == "cache.m7g.large"
    error_message = "Default node is the smallest non-burstable general-purpose node."
  }
  assert {
    condition     = module.stack.stack.provisioned.replicas_per_shard == 1 && module.stack.stack.provisioned.multi_az && module.stack.stack.provisioned.shards == 1
    error_message = "One shard, one replica in another AZ, automatic failover."
  }
  assert {
    condition     = module.stack.stack.provisioned.snapshot_retention_days == 0
    error_message = "Counters are ephemeral: no snapshots."
  }
  assert {
    condition     = module.stack.stack.security.transit_encryption_mode == "required"
    error_message = "TLS must be required."
  }
  assert {
    condition     = module.stack.stack.alarms.overrides["engine_cpu"].threshold == 60 && module.stack.stack.alarms.overrides["memory"].threshold == 70 && module.stack.stack.alarms.overrides["evictions"].threshold == 0
    error_message = "Tier alarm thresholds: engine CPU 60 %, memory 70 %, any eviction."
  }
  assert {
    condition     = length([for n in module.stack.stack.alarm_names : n if endswith(n, "/engine-cpu")]) == 2 && length([for n in module.stack.stack.alarm_names : n if endswith(n, "/cpu")]) == 2
    error_message = "Both members carry engine-CPU and host-CPU (2 vCPU node) alarms."
  }
  assert {
    condition     = length([for n in module.stack.stack.alarm_names : n if endswith(n, "/hit-rate")]) == 0
    error_message = "A rate limiter has no hit-rate alarm."
  }
  assert {
    condition     = strcontains(module.stack.stack.alarm_definitions["elasticache/tftest-limits/001/engine-cpu"], "> 60 ")
    error_message = "The engine-CPU alarm fires above 60 %."
  }
  assert {
    condition     = length([for n in module.stack.stack.alarm_names : n if endswith(n, "/read-latency")]) == 2 && length([for n in module.stack.stack.alarm_names : n if endswith(n, "/write-latency")]) == 2
    error_message = "Both members carry read- and write-latency alarms (opt-in on nodes, on in this tier)."
  }
  assert {
    condition     = strcontains(module.stack.stack.alarm_definitions["elasticache/tftest-limits/002/write-latency"], "SuccessfulWriteRequestLatency Average > 2000 ")
    error_message = "The latency alarms fire above a 2 ms (2000 microseconds) average."
  }
  assert {
    condition     = module.stack.stack.tags["tier"] == "rate-limit"
    error_message = "Components are tagged with their tier."
  }
  assert {
    condition     = output.ttl_seconds.fixed_window == 120 && output.window_seconds == 60
    error_message = "Window counters expire after two 60 s windows."
  }
  assert {
    condition     = output.key_conventions.fixed_window == "tftest-limits:rl:{<subject>}:<window_start_epoch>"
    error_message = "Counter keys are namespaced and hash-tagged by subject."
  }
  assert {
    condition     = output.cost.monthly_usd > 0 && output.cost == module.stack.stack.cost
    error_message = "The cost is known at plan time: the stack's own estimate."
  }
  assert {
    condition     = module.stack.stack.expected_load == null && length([for r in output.recommendations : r if r.kind == "reserved_nodes"]) == 1
    error_message = "Without an expected load the nodes are priced and a reservation recommended."
  }
}

run "development_sized_limiter" {
  command = plan

  variables {
    users               = { app = { password_version = 1 } }
    user_passwords      = { app = ["tftest-password-0123456789"] }
    provisioned         = { node_type = "cache.t4g.small" }
    key_namespace       = "gw"
    window_seconds      = 1
    final_snapshot_name = "gw-final"
    alarms = {
      overrides = {
        engine_cpu   = { threshold = 50 }
        read_latency = { threshold = 5000 }
      }
    }
  }

  assert {
    condition     = module.stack.stack.provisioned.node_type == "cache.t4g.small"
    error_message = "node_type is honoured."
  }
  assert {
    condition     = module.stack.stack.provisioned.final_snapshot_name == "gw-final" && module.stack.stack.restore_from == null && !module.stack.stack.preserve_data_on_replace
    error_message = "The limiter takes a final snapshot when asked, and never restores or preserves counters."
  }
  assert {
    condition     = module.stack.stack.alarms.overrides["engine_cpu"].threshold == 50 && module.stack.stack.alarms.overrides["memory"].threshold == 70
    error_message = "A caller's override replaces only what it sets."
  }
  assert {
    condition     = module.stack.stack.alarms.overrides["read_latency"].threshold == 5000 && module.stack.stack.alarms.overrides["read_latency"].enabled == true
    error_message = "A latency threshold of the caller keeps the tier's enabled = true."
  }
  assert {
    condition     = output.key_conventions.token_bucket == "gw:tb:{<subject>} (hash: tokens, updated_at; take in one Lua script)" && output.ttl_seconds.fixed_window == 2
    error_message = "key_namespace and window_seconds shape the conventions."
  }
  assert {
    condition     = module.stack.stack.security.users.app.access_string == "on ~gw:* -@all +@read +@write +@scripting +@connection -@dangerous"
    error_message = "The rate-limit tier's app user may touch only the keys under key_namespace, with no admin or keyspace-wide commands."
  }
}

run "expected_load_prices_the_limiter" {
  command = plan

  variables {
    expected_load = {
      data_gb             = 0.5
      requests_per_second = 20000
      pattern             = "spiky"
      peak_to_average     = 4
    }
  }

  assert {
    condition     = module.stack.stack.mode == "provisioned" && module.stack.stack.expected_load.pattern == "spiky"
    error_message = "A spiky load is priced, but the limiter stays on nodes (noeviction)."
  }
  assert {
    condition     = length([for r in output.recommendations : r if contains(["serverless", "provisioned"], r.kind)]) == 1
    error_message = "With an expected load the estimate compares serverless and provisioned."
  }
}

run "latency_alarms_can_be_dropped" {
  command = plan

  variables {
    alarms = { overrides = { read_latency = { enabled = false }, write_latency = { enabled = false } } }
  }

  assert {
    condition     = length([for n in module.stack.stack.alarm_names : n if strcontains(n, "latency")]) == 0
    error_message = "enabled = false drops the tier's latency alarms."
  }
}
