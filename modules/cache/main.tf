# Hot-cache tier of a GenAI/agent platform: prompt templates, user profiles, retrieval results
# and model responses, all rebuildable from their origin. So: allkeys-lru (make room for new
# entries by dropping the least recently used, TTL or not), cluster mode when more than one shard
# is asked for, no snapshots, an alarm when the hit rate says the cache stopped paying for itself,
# and serverless for spiky load. The stack itself and every check of the inputs are in
# ../internal/stack; this file fixes what is particular to a cache. See README.md for the
# rationale of every default.

locals {
  # What this tier fixes; stack.tf (shared by the tiers) passes it to ../internal/stack.
  tier = {
    name = "cache"
    # Cache keys only: read, write, TTLs and deletes under the namespace; no admin or
    # keyspace-wide commands.
    users = { app = "on ~{ns}:* -@all +@read +@write +@keyspace +@connection -@dangerous" }
    # On nodes allkeys-lru, or allkeys-lfu (better when a few prompts or profiles are hot for
    # long): a cache must make room for new entries instead of failing writes, so volatile-* and
    # noeviction are refused. A serverless cache evicts keys that carry a TTL at
    # max_data_storage_gb; its policy is not configurable.
    eviction_policies  = ["allkeys-lru", "allkeys-lfu"]
    serverless_allowed = true
    # Memory buys hit rate: memory-optimized nodes; one replica to fail over to; no snapshots (a
    # cache refills from its origin).
    node_type               = "cache.r7g.large"
    replicas_per_shard      = 1
    snapshot_retention_days = 0
    avg_request_kb          = 1
    # hit_rate 50 %: the seeds' alarm level. 80 % is the target to tune towards (TTLs, key design),
    # but retrieval and LLM-response caches have long-tail keys and run usefully at 60-80 %; below
    # 50 % most requests pay the cache's round trip and the origin's, which is worth a page.
    alarm_overrides = {
      hit_rate = { threshold = 50 }
    }
  }

  load_pattern = var.load_pattern
  serverless   = var.serverless
  # Regional only: a cache refills from its origin in each region (genai-session has `global`).
  global = null
}

locals {
  # The seeds' TTL table (002), with the GenAI data each row fits: a table, so a data file.
  ttl_guidance = yamldecode(file("${path.module}/ttl_guidance.yaml"))
}

# Versions before one stack block had one per mode; the node-based one moves without a change
# (a serverless one: terraform state mv, see README.md).
moved {
  from = elasticache_stack.provisioned[0]
  to   = elasticache_stack.this
}
