# The rate-limit tier's inputs. Values are checked once, in ../internal/stack (the module every
# tier calls); the grouped inputs (`provisioned`, `security`, `alarms`, `expected_load`) take the
# fields and names of elasticache_stack's blocks, each optional.

variable "name" {
  description = "Name of the rate limiter. It names every component (replication group, subnet group, parameter group, the `elasticache-<name>` security group, alarms under `elasticache/<name>/`) and is the default key namespace. Lowercase letters, digits and hyphens, starting with a letter, at most 40 characters. Changing it replaces the limiter (all counters restart)."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the cache nodes, all in one VPC. Give subnets in at least two Availability Zones so that Multi-AZ can place the replica away from the primary."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups of the applications (API gateways, agents, model proxies) allowed to connect on `port`. The least-privilege way to admit clients."
  type        = list(string)
  default     = []
}

variable "allowed_cidr_blocks" {
  description = "CIDR blocks allowed to connect on `port`, for clients without a security group (peered VPCs, VPN). Blocks open to the world are rejected."
  type        = list(string)
  default     = []
}

variable "port" {
  description = "Port the cache listens on. Changing it replaces the limiter."
  type        = number
  default     = 6379
}

variable "engine" {
  description = "Cache engine: `valkey` or `redis` (Redis OSS). Valkey nodes cost 20 % less for the same commands and clients. Memcached has no Lua scripts for token buckets and no replicas to fail over to."
  type        = string
  default     = "valkey"
}

variable "engine_version" {
  description = "Engine version as `MAJOR.MINOR`; null takes the provider's default (8.0 for valkey, 7.1 for redis). Upgrades are in place."
  type        = string
  default     = null
}

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
    `apply_immediately` (false).
  EOT
  type        = any
  default     = {}
}

variable "security" {
  description = "Optional `kms_key_arn` (customer managed key for encryption at rest; the AWS managed key when null; changing it replaces the limiter) and `user_group_id` (an RBAC user group instead of an AUTH token). TLS is always required."
  type        = any
  default     = {}
}

variable "users" {
  description = "RBAC users of the tier, created by the stack with least-privilege access strings in a user group of its own (with a disabled `default` user): `app` (`on ~{ns}:* -@all +@read +@write +@scripting +@connection -@dangerous`, `{ns}` the key namespace). Each with `password_version` (with `user_passwords`; increase it to rotate) or `authentication = \"iam\"`. The way to authenticate a serverless cache; not with `security.user_group_id` or `auth_token`."
  type = map(object({
    password_version = optional(number)
    authentication   = optional(string, "password")
  }))
  default = {}
}

variable "user_passwords" {
  description = "Passwords of `users`, by user name: one or two (two while clients move to a new one), 16 to 128 characters. Ephemeral and passed to a write-only attribute: never in state, plan or outputs."
  type        = map(list(string))
  default     = {}
  sensitive   = true
  ephemeral   = true
}

variable "auth_token" {
  description = "Optional AUTH token (16 to 128 characters). Ephemeral and passed to a write-only attribute: it never reaches state, plan or outputs. Set `auth_token_version` with it and increase the version to rotate. Prefer `security.user_group_id` (RBAC) for per-service credentials."
  type        = string
  default     = null
  sensitive   = true
  ephemeral   = true
}

variable "auth_token_version" {
  description = "Version of `auth_token`; required with it. Terraform cannot see ephemeral values, so increasing this number is what rotates the token."
  type        = number
  default     = null
}

variable "alarms" {
  description = "CloudWatch alarms (engine and host CPU, read and write latency, memory, evictions, connections, replication lag, swap), each field optional: `enabled` (true), `alarm_actions` and `ok_actions` (ARNs notified when an alarm fires / returns to OK), `overrides` (per-alarm `{ enabled, threshold }` merged over the tier's defaults attribute by attribute: `engine_cpu` 60 %, `memory` 70 %, `evictions` 0, `read_latency` and `write_latency` on). Override keys: `engine_cpu`, `cpu`, `memory`, `evictions`, `connections`, `replication_lag`, `swap`, `hit_rate`, `read_latency`, `write_latency`."
  type        = any
  default     = {}
}

variable "notification_topic_arn" {
  description = "SNS topic that receives ElastiCache events (failovers, maintenance)."
  type        = string
  default     = null
}

variable "expected_load" {
  description = "What the limiter is expected to carry: `data_gb` of counters (usually well under 1), `requests_per_second` (one per rate-limit check), `avg_request_kb` (default 0.1), and the load `pattern` (`steady` by default, or `spiky`) with its `peak_to_average`. Sizes the cost estimate and enables the serverless-vs-provisioned and right-size recommendations. The limiter itself always runs on nodes: serverless caches cannot be set to noeviction."
  type        = any
  default     = null
}

variable "tags" {
  description = "Tags for every component, merged over `{ tier = \"rate-limit\" }` and the provider's default_tags."
  type        = map(string)
  default     = {}
}

variable "key_namespace" {
  description = "Prefix of every key the applications write, so several services can share the limiter and an ACL can scope a user to `~<namespace>:*`. Null uses `name`."
  type        = string
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
