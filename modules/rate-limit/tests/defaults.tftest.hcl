# Plan-only tests of the rate-limit tier's defaults and validation. They need the provider (from
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
    condition     = elasticache_stack.this.mode == "provisioned" && output.mode == "provisioned" && elasticache_stack.this.engine == "valkey"
    error_message = "The limiter runs provisioned Valkey."
  }
  assert {
    condition     = elasticache_stack.this.provisioned.eviction_policy == "noeviction" && output.eviction_policy == "noeviction"
    error_message = "A rate limiter must never evict a counter: noeviction."
  }
  assert {
    condition     = elasticache_stack.this.provisioned.node_type == "cache.m7g.large"
    error_message = "Default node is the smallest non-burstable general-purpose node."
  }
  assert {
    condition     = elasticache_stack.this.provisioned.replicas_per_shard == 1 && elasticache_stack.this.provisioned.multi_az && elasticache_stack.this.provisioned.shards == 1
    error_message = "One shard, one replica in another AZ, automatic failover."
  }
  assert {
    condition     = elasticache_stack.this.provisioned.snapshot_retention_days == 0
    error_message = "Counters are ephemeral: no snapshots."
  }
  assert {
    condition     = elasticache_stack.this.security.transit_encryption_mode == "required"
    error_message = "TLS must be required."
  }
  assert {
    condition     = elasticache_stack.this.alarms.overrides["engine_cpu"].threshold == 60 && elasticache_stack.this.alarms.overrides["memory"].threshold == 70 && elasticache_stack.this.alarms.overrides["evictions"].threshold == 0
    error_message = "Tier alarm thresholds: engine CPU 60 %, memory 70 %, any eviction."
  }
  assert {
    condition     = length([for n in elasticache_stack.this.alarm_names : n if endswith(n, "/engine-cpu")]) == 2 && length([for n in elasticache_stack.this.alarm_names : n if endswith(n, "/cpu")]) == 2
    error_message = "Both members carry engine-CPU and host-CPU (2 vCPU node) alarms."
  }
  assert {
    condition     = length([for n in elasticache_stack.this.alarm_names : n if endswith(n, "/hit-rate")]) == 0
    error_message = "A rate limiter has no hit-rate alarm."
  }
  assert {
    condition     = strcontains(elasticache_stack.this.alarm_definitions["elasticache/tftest-limits/001/engine-cpu"], "> 60 ")
    error_message = "The engine-CPU alarm fires above 60 %."
  }
  assert {
    condition     = length([for n in elasticache_stack.this.alarm_names : n if endswith(n, "/read-latency")]) == 2 && length([for n in elasticache_stack.this.alarm_names : n if endswith(n, "/write-latency")]) == 2
    error_message = "Both members carry read- and write-latency alarms (opt-in on nodes, on in this tier)."
  }
  assert {
    condition     = strcontains(elasticache_stack.this.alarm_definitions["elasticache/tftest-limits/002/write-latency"], "SuccessfulWriteRequestLatency Average > 2000 ")
    error_message = "The latency alarms fire above a 2 ms (2000 microseconds) average."
  }
  assert {
    condition     = elasticache_stack.this.tags["tier"] == "rate-limit"
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
    condition     = output.cost.monthly_usd > 0 && output.cost == elasticache_stack.this.cost
    error_message = "The cost is known at plan time: the stack's own estimate."
  }
  assert {
    condition     = elasticache_stack.this.expected_load == null && length([for r in output.recommendations : r if r.kind == "reserved_nodes"]) == 1
    error_message = "Without an expected load the nodes are priced and a reservation recommended."
  }
}

run "development_sized_limiter" {
  command = plan

  variables {
    node_type      = "cache.t4g.small"
    key_namespace  = "gw"
    window_seconds = 1
    alarm_overrides = {
      engine_cpu   = { threshold = 50 }
      read_latency = { threshold = 5000 }
    }
  }

  assert {
    condition     = elasticache_stack.this.provisioned.node_type == "cache.t4g.small"
    error_message = "node_type is honoured."
  }
  assert {
    condition     = elasticache_stack.this.alarms.overrides["engine_cpu"].threshold == 50 && elasticache_stack.this.alarms.overrides["memory"].threshold == 70
    error_message = "A caller's override replaces only what it sets."
  }
  assert {
    condition     = elasticache_stack.this.alarms.overrides["read_latency"].threshold == 5000 && elasticache_stack.this.alarms.overrides["read_latency"].enabled == true
    error_message = "A latency threshold of the caller keeps the tier's enabled = true."
  }
  assert {
    condition     = output.key_conventions.token_bucket == "gw:tb:{<subject>} (hash: tokens, updated_at; take in one Lua script)" && output.ttl_seconds.fixed_window == 2
    error_message = "key_namespace and window_seconds shape the conventions."
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
    condition     = elasticache_stack.this.mode == "provisioned" && elasticache_stack.this.expected_load.pattern == "spiky"
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
    alarm_overrides = { read_latency = { enabled = false }, write_latency = { enabled = false } }
  }

  assert {
    condition     = length([for n in elasticache_stack.this.alarm_names : n if strcontains(n, "latency")]) == 0
    error_message = "enabled = false drops the tier's latency alarms."
  }
}

run "rejects_an_eviction_policy_parameter" {
  command = plan

  variables {
    parameters = { "maxmemory-policy" = "volatile-lru" }
  }

  expect_failures = [var.parameters]
}

run "rejects_a_limiter_without_replicas" {
  command = plan

  variables {
    replicas_per_shard = 0
  }

  expect_failures = [var.replicas_per_shard]
}

run "rejects_an_unknown_load_pattern" {
  command = plan

  variables {
    expected_load = {
      data_gb             = 1
      requests_per_second = 10
      pattern             = "bursty"
    }
  }

  expect_failures = [var.expected_load]
}

run "rejects_an_unknown_alarm" {
  command = plan

  variables {
    alarm_overrides = { latency = { threshold = 1 } }
  }

  expect_failures = [var.alarm_overrides]
}
