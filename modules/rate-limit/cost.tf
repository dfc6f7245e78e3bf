# What the limiter costs and how to pay less, known at plan time, from the provider's built-in
# price catalog (or live prices when the provider sets live_pricing = true).
#
# Two blocks rather than one with `expected_load = cond ? {...} : null`: elasticache_cost_estimate
# (provider 0.1.0) cannot validate a nested object that is unknown as a whole, which such a
# conditional is during `terraform validate`. An object constructor gives a known object (members
# may be unknown), which it validates; exactly one block has count = 1.

locals {
  cost_estimate = one(concat(
    data.elasticache_cost_estimate.provisioned[*],
    data.elasticache_cost_estimate.provisioned_with_load[*],
  ))
}

data "elasticache_cost_estimate" "provisioned" {
  count = var.expected_load == null ? 1 : 0

  engine                  = var.engine
  node_type               = var.node_type
  shards                  = var.shards
  replicas_per_shard      = var.replicas_per_shard
  snapshot_retention_days = var.snapshot_retention_days
}

data "elasticache_cost_estimate" "provisioned_with_load" {
  count = var.expected_load != null ? 1 : 0

  engine                  = var.engine
  node_type               = var.node_type
  shards                  = var.shards
  replicas_per_shard      = var.replicas_per_shard
  snapshot_retention_days = var.snapshot_retention_days

  expected_load = {
    data_gb             = try(var.expected_load.data_gb, 0)
    requests_per_second = try(var.expected_load.requests_per_second, 0)
    avg_request_kb      = try(var.expected_load.avg_request_kb, null)
    pattern             = try(var.expected_load.pattern, null)
    peak_to_average     = try(var.expected_load.peak_to_average, null)
  }
}
