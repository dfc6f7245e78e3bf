# The rate-limit tier's inputs. Values are checked once, in ../internal/stack (the module every
# tier calls); the grouped inputs (`provisioned`, `security`, `alarms`, `expected_load`) take the
# fields and names of elasticache_stack's blocks, each optional.
# The inputs the tiers share are in shared_variables.tf (a link to ../cache).

variable "provisioned" {
  description = <<-EOT
    Node settings, each optional, default in brackets: `node_type` (`cache.m7g.large`: counters need
    little memory but sit on every request's path, so the smallest general-purpose node with steady CPU,
    no burst credits; `cache.t4g.small` is fine for development), `eviction_policy` (`noeviction`,
    the only one accepted: an evicted counter silently lifts a limit), `shards` (1; more turns cluster mode on:
    the keys of one subject must then share a hash tag, see `key_conventions`), `replicas_per_shard` (1,
    from 1 to 5: every rate-limit command writes, so replicas add no throughput; one is enough to fail over
    in 10-30 s instead of losing the limiter), `multi_az` (true), `parameters` (other engine parameters;
    `maxmemory-policy` is always `noeviction`), `snapshot_retention_days` (0: counters live for one window,
    a snapshot restores only expired counters and costs a fork per day), `snapshot_window`
    (`03:00-04:00` UTC), `maintenance_window` (`sun:05:00-sun:06:00` UTC), `final_snapshot_name` (null),
    `apply_immediately` (false), `auto_minor_version_upgrade` (true, AWS's default: minor upgrades in the maintenance window; false for change-controlled fleets), `autoscaling` (none; with `shards` 2 or more, `{ shards = { min, max, target_memory_percent }, replicas = ... }`: counters are writes, so shards (which add write capacity) fit a limiter better than replicas; see elasticache_stack).
  EOT
  type        = any
  default     = {}
}

variable "alarms" {
  description = "CloudWatch alarms (engine and host CPU, read and write latency, memory, evictions, connections, replication lag, swap), each field optional: `enabled` (true), `alarm_actions` and `ok_actions` (ARNs notified when an alarm fires / returns to OK), `overrides` (per-alarm `{ enabled, threshold }` merged over the tier's defaults attribute by attribute: `engine_cpu` 60 %, `memory` 70 %, `evictions` 0, `read_latency` and `write_latency` on). Override keys: `engine_cpu`, `cpu`, `memory`, `evictions`, `connections`, `replication_lag`, `swap`, `hit_rate`, `read_latency`, `write_latency`."
  type        = any
  default     = {}
}

variable "expected_load" {
  description = "What the limiter is expected to carry: `data_gb` of counters (usually well under 1), `requests_per_second` (one per rate-limit check), `avg_request_kb` (default 0.1), and the load `pattern` (`steady` by default, or `spiky`) with its `peak_to_average`. Sizes the cost estimate and enables the serverless-vs-provisioned and right-size recommendations. The limiter itself always runs on nodes: serverless caches cannot be set to noeviction."
  type        = any
  default     = null
}

variable "window_seconds" {
  description = "Length of a rate-limit window. Window counters expire after two windows (the sliding-window estimate reads the previous one)."
  type        = number
  default     = 60
  nullable    = false

  validation {
    condition     = var.window_seconds >= 1 && var.window_seconds <= 86400 && floor(var.window_seconds) == var.window_seconds
    error_message = "window_seconds must be a whole number from 1 to 86400."
  }
}
