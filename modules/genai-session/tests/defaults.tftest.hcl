# Plan-only tests of the session tier's defaults (the checks of every input, shared by the tiers,
# are tested in ../internal/stack/tests). They need the provider (from the
# filesystem mirror: TF_CLI_CONFIG_FILE=.build/terraformrc) and an AWS-compatible endpoint in the
# environment (AWS_ENDPOINT_URL=<emulator> AWS_ACCESS_KEY_ID=test ...); nothing is created.
#   make test-modules            # starts the emulator and runs every module's tests
#   cd modules/genai-session && terraform init && terraform test

variables {
  name                       = "tftest-sessions"
  subnet_ids                 = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"]
  allowed_security_group_ids = ["sg-0a1b2c3d4e5f60001"]
}

run "defaults" {
  command = plan

  assert {
    condition     = module.stack.stack.mode == "provisioned" && module.stack.stack.engine == "valkey" && module.stack.stack.serverless == null
    error_message = "The session tier runs provisioned Valkey by default."
  }
  assert {
    condition     = module.stack.stack.provisioned.eviction_policy == "volatile-lru" && output.eviction_policy == "volatile-lru"
    error_message = "Sessions must use volatile-lru: only keys with a TTL are ever evicted."
  }
  assert {
    condition     = module.stack.stack.provisioned.replicas_per_shard == 2 && module.stack.stack.provisioned.multi_az
    error_message = "Sessions need Multi-AZ with two replicas per shard."
  }
  assert {
    condition     = module.stack.stack.provisioned.node_type == "cache.r7g.large" && module.stack.stack.provisioned.shards == 1
    error_message = "Default node is one shard of cache.r7g.large."
  }
  assert {
    condition     = module.stack.stack.provisioned.snapshot_retention_days == 1 && module.stack.stack.provisioned.snapshot_window == "03:00-04:00"
    error_message = "Sessions keep one daily snapshot taken at 03:00 UTC."
  }
  assert {
    condition     = module.stack.stack.security.transit_encryption_mode == "required"
    error_message = "TLS must be required."
  }
  assert {
    condition     = module.stack.stack.alarms.enabled && module.stack.stack.alarms.overrides["evictions"].threshold == 0
    error_message = "The evictions alarm must fire on any eviction (threshold 0)."
  }
  assert {
    condition     = length([for n in module.stack.stack.alarm_names : n if endswith(n, "/evictions")]) == 3
    error_message = "Every member (primary + 2 replicas) carries an evictions alarm."
  }
  assert {
    condition     = length([for n in module.stack.stack.alarm_names : n if endswith(n, "/hit-rate")]) == 0
    error_message = "A session store has no hit-rate alarm (it is not a cache)."
  }
  assert {
    condition     = tolist(module.stack.stack.member_clusters) == tolist(["tftest-sessions-001", "tftest-sessions-002", "tftest-sessions-003"])
    error_message = "One shard with two replicas makes three member clusters."
  }
  assert {
    condition     = module.stack.stack.cluster_mode_enabled == false && output.cluster_mode_enabled == false
    error_message = "One shard means no cluster mode."
  }
  assert {
    condition     = module.stack.stack.tags["tier"] == "genai-session"
    error_message = "Components are tagged with their tier."
  }
  assert {
    condition     = output.session_ttl_seconds == 1800 && output.ttl_seconds.idempotency == 86400
    error_message = "Recommended TTLs: 30 min sessions, 24 h idempotency keys."
  }
  assert {
    condition     = output.key_conventions.session == "tftest-sessions:sess:{<session_id>}"
    error_message = "Session keys are namespaced and hash-tagged by session id."
  }
  assert {
    condition     = output.cost.monthly_usd > 0 && output.cost.source != "" && output.cost == module.stack.stack.cost
    error_message = "The cost is known at plan time: the stack's own estimate."
  }
  assert {
    condition     = length([for r in output.recommendations : r if r.kind == "reserved_nodes"]) == 1
    error_message = "A steady provisioned store gets a reserved-node recommendation."
  }
}

run "spiky_load_selects_serverless" {
  command = plan

  variables {
    users          = { app = { password_version = 1 } }
    user_passwords = { app = ["tftest-password-0123456789"] }
    load_pattern   = "spiky"
    serverless     = { max_data_storage_gb = 20 }
    expected_load = {
      data_gb             = 2
      requests_per_second = 1000
      peak_to_average     = 5
    }
  }

  assert {
    condition     = module.stack.stack.provisioned == null && module.stack.stack.mode == "serverless" && output.mode == "serverless"
    error_message = "load_pattern = spiky deploys a serverless cache instead of nodes."
  }
  assert {
    condition     = module.stack.stack.serverless.max_data_storage_gb == 20 && module.stack.stack.serverless.snapshot_retention_days == 1 && module.stack.stack.serverless.daily_snapshot_time == "03:00"
    error_message = "The serverless cache keeps the tier's daily snapshot (03:00 UTC, 1 day) and the caller's limit."
  }
  assert {
    condition     = module.stack.stack.security.transit_encryption_mode == "required" && module.stack.stack.tags["tier"] == "genai-session"
    error_message = "TLS and tier tag on the serverless cache too."
  }
  assert {
    condition     = length([for n in module.stack.stack.alarm_names : n if endswith(n, "/hit-rate")]) == 0 && length([for n in module.stack.stack.alarm_names : n if endswith(n, "/storage")]) == 1
    error_message = "No hit-rate alarm for a session store; a storage alarm before the data limit evicts."
  }
  assert {
    condition     = module.stack.stack.expected_load.pattern == "spiky" && module.stack.stack.expected_load.peak_to_average == 5
    error_message = "The spiky load reaches the stack's estimate."
  }
  assert {
    condition     = output.cost.breakdown.nodes == 0 && output.cost.breakdown.storage > 0
    error_message = "A serverless cache is priced by storage and ECPUs."
  }
  assert {
    condition     = length([for r in output.recommendations : r if r.kind == "serverless" || r.kind == "provisioned"]) == 1
    error_message = "The spiky load is compared with nodes."
  }
  assert {
    condition     = module.stack.stack.security.users.app.access_string == "on ~tftest-sessions:* -@all +@read +@write +@keyspace +@connection -@dangerous"
    error_message = "The genai-session tier's app user (RBAC, as a serverless cache needs) may touch only its namespace's keys, with no admin or keyspace-wide commands."
  }
}

run "a_global_primary_reaches_the_stack" {
  command = plan

  variables {
    global = { role = "primary" }
  }

  assert {
    condition     = module.stack.stack.global.role == "primary" && module.stack.stack.provisioned.node_type == "cache.r7g.large"
    error_message = "global = { role = \"primary\" } reaches the stack, on the tier's node type (one Global Datastore supports)."
  }
}

# The second module of the recipe (guide "Surviving a region"): the stack is overridden, as the
# provider looks the datastore up at plan; this proves the tier's wiring and outputs (that the
# inherited settings are sent as null, and the checks of `global`: ../internal/stack/tests).
run "a_global_secondary_joins_and_reports_its_role" {
  command = plan

  override_resource {
    target          = module.stack.elasticache_stack.this
    override_during = plan
    values          = { global_datastore_id = "ldgnf-tftest-sessions", global_role = "secondary" }
  }

  variables {
    global = { join = "ldgnf-tftest-sessions" }
  }

  assert {
    condition     = module.stack.stack.global.join == "ldgnf-tftest-sessions" && !module.stack.stack.global.promote
    error_message = "global.join reaches the stack; promote defaults to false."
  }
  assert {
    condition     = output.global_datastore_id == "ldgnf-tftest-sessions" && output.global_role == "secondary"
    error_message = "The tier outputs the datastore id and the stack's role."
  }
}
