# What would the session store of a GenAI platform cost, and how should it run?
# Three Valkey nodes (one shard, primary + 2 replicas) of cache.r7g.large, with a week of
# snapshots, for an expected 8 GB of session state at 4,000 requests/s of ~2 KB.
data "elasticache_cost_estimate" "sessions" {
  region                  = "eu-west-1"
  engine                  = "valkey"
  node_type               = "cache.r7g.large"
  shards                  = 1
  replicas_per_shard      = 2
  snapshot_retention_days = 7

  expected_load = {
    data_gb             = 8
    requests_per_second = 4000
    avg_request_kb      = 2
    pattern             = "steady"
  }
}

# A prompt cache with bursty traffic, priced as a serverless cache and capped so a runaway
# client cannot run up the bill.
data "elasticache_cost_estimate" "prompt_cache" {
  region = "eu-west-1"
  mode   = "serverless"
  engine = "valkey"

  serverless_limits = {
    max_data_gb         = 20
    max_ecpu_per_second = 50000
  }

  expected_load = {
    data_gb             = 2
    requests_per_second = 2000
    avg_request_kb      = 2
    pattern             = "spiky"
    peak_to_average     = 10
  }
}

output "monthly_usd" {
  description = "Estimated monthly cost of each deployment, and where the prices came from."
  value = {
    sessions     = data.elasticache_cost_estimate.sessions.cost.monthly_usd
    prompt_cache = data.elasticache_cost_estimate.prompt_cache.cost.monthly_usd
    source       = data.elasticache_cost_estimate.sessions.cost.source
  }
}

# Each recommendation is { kind, summary, monthly_savings_usd }; kinds are reserved_nodes,
# serverless, provisioned and right_size.
output "sessions_recommendations" {
  description = "How the session store could cost less."
  value       = [for r in data.elasticache_cost_estimate.sessions.recommendations : "${r.kind}: ${r.summary}"]
}
