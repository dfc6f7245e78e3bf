# The cache tier's inputs. Values are checked once, in ../internal/stack (the module every tier
# calls); the grouped inputs (`provisioned`, `serverless`, `security`, `alarms`, `expected_load`)
# take the fields and names of elasticache_stack's blocks, each optional.
# The inputs the tiers share are in data_variables.tf, serverless_variables.tf, shared_variables.tf.

variable "provisioned" {
  description = <<-EOT
    Node settings (`load_pattern = "steady"`), each optional, default in brackets:
    `node_type` (`cache.r7g.large`: a cache's hit rate grows with memory, and memory-optimized nodes hold the
    most data per dollar), `eviction_policy` (`allkeys-lru`, evict the least recently used key, with or
    without TTL; or `allkeys-lfu`, least frequently used, better when a few prompts or profiles are hot for
    long; volatile-* and noeviction are refused: a cache must make room for new entries), `shards` (1; more turns cluster mode on, spreading data and writes over the
    shards: clients must be cluster-aware, and keys read together (MGET) or invalidated together (tag sets)
    must share a hash tag, see `key_conventions`), `replicas_per_shard` (1, from 1 to 5: one fails over in
    10-30 s instead of emptying the shard and serves reads; add more for read throughput), `multi_az` (true),
    `parameters` (other engine parameters; `maxmemory-policy` is `eviction_policy`),
    `snapshot_retention_days` (0: a cache refills from its origin, and the snapshot's fork() causes a daily
    latency spike), `snapshot_window` (`03:00-04:00` UTC), `maintenance_window` (`sun:05:00-sun:06:00` UTC),
    `final_snapshot_name` (null), `apply_immediately` (false), `auto_minor_version_upgrade` (true, AWS's default: minor upgrades in the maintenance window; false for change-controlled fleets), `autoscaling` (none; with `shards` 2 or more, `{ replicas = { min, max, target_cpu_percent }, shards = { min, max, target_memory_percent } }`: replicas follow read load, shards follow memory, `replicas_per_shard` / `shards` being the counts at creation; see elasticache_stack).
  EOT
  type        = any
  default     = {}
}

variable "alarms" {
  description = "CloudWatch alarms (hit rate, CPU, memory, evictions, connections, replication lag, swap), each field optional: `enabled` (true), `alarm_actions` and `ok_actions` (ARNs notified when an alarm fires / returns to OK), `overrides` (per-alarm `{ enabled, threshold }` merged over the tier's defaults attribute by attribute; the tier sets `hit_rate` below 50 %). Override keys: `engine_cpu`, `cpu`, `memory`, `evictions`, `connections`, `replication_lag`, `swap`, `hit_rate`, `read_latency` / `write_latency` (on nodes only with `enabled = true`); for serverless also `throttled_commands`, `ecpu`, `storage`."
  type        = any
  default     = {}
}

variable "default_ttl_seconds" {
  description = "TTL for entries that match no row of the `ttl_guidance` table. The seeds' advice: when unsure, start with 5 minutes and adjust to the data's change rate and tolerance for staleness."
  type        = number
  default     = 300
  nullable    = false

  validation {
    condition     = var.default_ttl_seconds >= 1 && var.default_ttl_seconds <= 604800
    error_message = "default_ttl_seconds must be from 1 to 604800 (7 days): every cache entry needs a TTL."
  }
}

variable "ttl_jitter_percent" {
  description = "Random jitter to add to every TTL, in percent (TTL x (1 + random(0, jitter))): entries written together then do not expire together, which avoids stampedes on the origin."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.ttl_jitter_percent >= 0 && var.ttl_jitter_percent <= 50
    error_message = "ttl_jitter_percent must be from 0 to 50."
  }
}
