# What the cache costs and how to pay less, known at plan time, from the provider's built-in price
# catalog (or live prices when the provider sets live_pricing = true).
#
# One estimate applies, chosen by deployment mode and by whether expected_load is given. Four
# blocks rather than one with `cond ? {...} : null` objects: elasticache_cost_estimate (provider
# 0.1.0) cannot validate a nested object that is unknown as a whole, which every such conditional
# is during `terraform validate`. Object constructors give known objects (members may be
# unknown), which it validates; exactly one block has count = 1.

locals {
  with_load = var.expected_load != null
  load = {
    data_gb             = try(var.expected_load.data_gb, 0)
    requests_per_second = try(var.expected_load.requests_per_second, 0)
    avg_request_kb      = try(var.expected_load.avg_request_kb, null)
    peak_to_average     = try(var.expected_load.peak_to_average, null)
  }

  cost_estimate = one(concat(
    data.elasticache_cost_estimate.provisioned[*],
    data.elasticache_cost_estimate.provisioned_with_load[*],
    data.elasticache_cost_estimate.serverless[*],
    data.elasticache_cost_estimate.serverless_with_load[*],
  ))
}

data "elasticache_cost_estimate" "provisioned" {
  count = !local.serverless && !local.with_load ? 1 : 0

  engine                  = var.engine
  node_type               = var.node_type
  shards                  = var.shards
  replicas_per_shard      = var.replicas_per_shard
  snapshot_retention_days = var.snapshot_retention_days
}

data "elasticache_cost_estimate" "provisioned_with_load" {
  count = !local.serverless && local.with_load ? 1 : 0

  engine                  = var.engine
  node_type               = var.node_type
  shards                  = var.shards
  replicas_per_shard      = var.replicas_per_shard
  snapshot_retention_days = var.snapshot_retention_days

  expected_load = {
    data_gb             = local.load.data_gb
    requests_per_second = local.load.requests_per_second
    avg_request_kb      = local.load.avg_request_kb
    pattern             = var.load_pattern
    peak_to_average     = local.load.peak_to_average
  }
}

data "elasticache_cost_estimate" "serverless" {
  count = local.serverless && !local.with_load ? 1 : 0

  mode                    = "serverless"
  engine                  = var.engine
  snapshot_retention_days = local.serverless_snapshot_retention_days

  serverless_limits = {
    max_data_gb         = var.serverless.max_data_storage_gb
    max_ecpu_per_second = var.serverless.max_ecpu_per_second
  }
}

data "elasticache_cost_estimate" "serverless_with_load" {
  count = local.serverless && local.with_load ? 1 : 0

  mode                    = "serverless"
  engine                  = var.engine
  snapshot_retention_days = local.serverless_snapshot_retention_days

  serverless_limits = {
    max_data_gb         = var.serverless.max_data_storage_gb
    max_ecpu_per_second = var.serverless.max_ecpu_per_second
  }

  expected_load = {
    data_gb             = local.load.data_gb
    requests_per_second = local.load.requests_per_second
    avg_request_kb      = local.load.avg_request_kb
    pattern             = var.load_pattern
    peak_to_average     = local.load.peak_to_average
  }
}
