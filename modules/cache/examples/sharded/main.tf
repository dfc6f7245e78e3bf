# A retrieval-result cache that outgrew one node: three shards turn cluster mode on (use a
# cluster-aware client and the `configuration endpoint` the module outputs as `endpoint`),
# allkeys-lfu keeps the few hot queries resident, and the expected load prices the choice.
# Runs against AWS (the provider takes its region and credentials from the environment:
# AWS_REGION, AWS_PROFILE, ...), or the bundled emulator (see ../../../README.md).

module "retrieval_cache" {
  source = "../.."

  name                       = var.name
  subnet_ids                 = var.subnet_ids
  allowed_security_group_ids = var.allowed_security_group_ids

  provisioned = { shards = 3, replicas_per_shard = 1, eviction_policy = "allkeys-lfu" }

  # Retrieval results change when the index is rebuilt; 5 minutes bounds staleness otherwise.
  default_ttl_seconds = 300

  # Page at a 70 % hit rate instead of 50 %: this cache serves repeated queries.
  alarms = {
    overrides = { hit_rate = { threshold = 70 } }
  }

  expected_load = {
    data_gb             = 20
    requests_per_second = 15000
    avg_request_kb      = 4
  }
}
