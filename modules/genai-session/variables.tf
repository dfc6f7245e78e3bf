# The session tier's inputs. Values are checked once, in ../internal/stack (the module every tier
# calls); the grouped inputs (`provisioned`, `serverless`, `security`, `alarms`, `expected_load`)
# take the fields and names of elasticache_stack's blocks, each optional.
# The inputs the tiers share are in data_variables.tf, serverless_variables.tf, shared_variables.tf (links to ../cache).

variable "provisioned" {
  description = <<-EOT
    Node settings (`load_pattern = "steady"`), each optional, default in brackets:
    `node_type` (`cache.r7g.large`: memory-optimized holds the most session state per dollar),
    `eviction_policy` (`volatile-lru`, the only one accepted: only keys with a TTL are ever evicted), `shards` (1;
    more turns cluster mode on: keys of one session must then share a hash tag, see `key_conventions`),
    `replicas_per_shard` (2, from 1 to 5: a second copy of every session while a failed node is replaced),
    `multi_az` (true: replicas in other AZs, automatic failover in 10-30 s), `parameters` (other engine
    parameters; `maxmemory-policy` is always `volatile-lru`), `snapshot_retention_days` (1, 0 to 35),
    `snapshot_window` (`03:00-04:00` UTC), `maintenance_window` (`sun:05:00-sun:06:00` UTC),
    `final_snapshot_name` (null; when set, destroying or replacing the store first takes a snapshot),
    `apply_immediately` (false: node type and version changes wait for the maintenance window), `auto_minor_version_upgrade` (true, AWS's default; false for change-controlled fleets), `autoscaling` (none; with `shards` 2 or more, `{ replicas = { min, max, target_cpu_percent }, shards = { min, max, target_memory_percent } }`: replicas follow session reads, shards follow memory; keep `replicas.min` at 1 or more, sessions must survive a node loss; see elasticache_stack).
  EOT
  type        = any
  default     = {}
}

variable "alarms" {
  description = "CloudWatch alarms (CPU, memory, evictions, connections, replication lag, swap), each field optional: `enabled` (true), `alarm_actions` and `ok_actions` (ARNs notified when an alarm fires / returns to OK), `overrides` (per-alarm `{ enabled, threshold }` merged over the tier's defaults attribute by attribute; the tier sets `evictions` threshold 0 and `hit_rate` off). Override keys: `engine_cpu`, `cpu`, `memory`, `evictions`, `connections`, `replication_lag`, `swap`, `hit_rate`, `read_latency` / `write_latency` (on nodes only with `enabled = true`); for serverless also `throttled_commands`, `ecpu`, `storage`."
  type        = any
  default     = {}
}

variable "session_ttl_seconds" {
  description = "Idle timeout of a user or agent session, renewed (EXPIRE) on every access. The seeds' session TTL is 30-60 minutes; 30 minutes matches the usual web idle timeout."
  type        = number
  default     = 1800
  nullable    = false

  validation {
    condition     = var.session_ttl_seconds >= 60 && var.session_ttl_seconds <= 86400
    error_message = "session_ttl_seconds must be from 60 (1 minute) to 86400 (1 day); longer-lived state belongs in DynamoDB."
  }
}

variable "agent_memory_ttl_seconds" {
  description = "TTL of short-lived agent memory (scratchpads, tool results of a run)."
  type        = number
  default     = 3600
  nullable    = false

  validation {
    condition     = var.agent_memory_ttl_seconds >= 60 && var.agent_memory_ttl_seconds <= 86400
    error_message = "agent_memory_ttl_seconds must be from 60 to 86400; memory kept for days belongs in DynamoDB, archives in S3."
  }
}

variable "idempotency_ttl_seconds" {
  description = "TTL of idempotency keys (a request id mapped to its result), long enough to cover every client retry."
  type        = number
  default     = 86400
  nullable    = false

  validation {
    condition     = var.idempotency_ttl_seconds >= 60 && var.idempotency_ttl_seconds <= 604800
    error_message = "idempotency_ttl_seconds must be from 60 to 604800 (7 days)."
  }
}

variable "global" {
  description = "Global Datastore, so sessions survive the loss of a region: `{ role = \"primary\" }` in the primary region; in the other region a second module with `providers = { elasticache = elasticache.dr }` and `{ join = module.<primary>.global_datastore_id }`, which inherits engine, version, node type, shards, eviction policy and parameters (set none of them there); `promote = true` (with `join`) fails over to that region. Nodes only (`load_pattern = \"steady\"`), node type large or bigger of a family Global Datastore supports (the default `cache.r7g.large` is one). Null: one region. See the provider's guide *Surviving a region*."
  type        = any
  default     = null
}
