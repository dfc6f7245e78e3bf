# Session tier of a GenAI/agent platform: session state, idempotency keys and short-lived agent
# memory (seconds to hours). Losing a node must lose no session, and memory pressure must never
# silently drop a live session, so: replicas in other AZs, daily snapshots, volatile-lru (only
# keys that carry a TTL can be evicted) and an alarm on any eviction. The stack itself and every
# check of the inputs are in ../internal/stack; this file fixes what is particular to sessions.
# See README.md for the rationale of every default.

locals {
  # What this tier fixes; stack.tf (shared by the tiers) passes it to ../internal/stack.
  tier = {
    name = "genai-session"
    # Session keys only: read, write, TTLs and deletes under the namespace; no admin or
    # keyspace-wide commands (-@dangerous: KEYS, FLUSHALL, CONFIG, ...).
    users = { app = "on ~{ns}:* -@all +@read +@write +@keyspace +@connection -@dangerous" }
    # The only policy accepted: volatile-lru evicts only keys that carry a TTL, least recently used first.
    # Sessions always carry one (their idle timeout), so under memory pressure the stalest
    # sessions go first and keys written without a TTL (a bug) are never evicted; the evictions
    # alarm pages on the first eviction either way. A serverless cache (load_pattern = "spiky")
    # behaves the same at max_data_storage_gb, and without a limit grows instead of evicting.
    eviction_policies  = ["volatile-lru"]
    serverless_allowed = true
    # Memory-bound state: memory-optimized nodes, two replicas, a daily snapshot.
    node_type               = "cache.r7g.large"
    replicas_per_shard      = 2
    snapshot_retention_days = 1
    avg_request_kb          = 1
    # evictions: 0 -> any eviction alarms: a session evicted is a user logged out or an agent
    # that forgets its run. hit_rate: off (serverless caches have one by default): a session store
    # is not a cache, and a miss is a new or expired session, not a problem.
    alarm_overrides = {
      evictions = { threshold = 0 }
      hit_rate  = { enabled = false }
    }
  }

  load_pattern = var.load_pattern
  serverless   = var.serverless
  global       = var.global
}

# Versions before one stack block had one per mode; the node-based one moves without a change
# (a serverless one: terraform state mv, see README.md).
moved {
  from = elasticache_stack.provisioned[0]
  to   = elasticache_stack.this
}
