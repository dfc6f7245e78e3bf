# The session tier's inputs. Values are checked once, in ../internal/stack (the module every tier
# calls); the grouped inputs (`provisioned`, `serverless`, `security`, `alarms`, `expected_load`)
# take the fields and names of elasticache_stack's blocks, each optional.

variable "name" {
  description = "Name of the session store. It names every component (replication group, subnet group, parameter group, the `elasticache-<name>` security group, alarms under `elasticache/<name>/`) and is the default key namespace. Lowercase letters, digits and hyphens, starting with a letter, at most 40 characters. Changing it replaces the store (all sessions are lost)."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the cache nodes, all in one VPC. Give subnets in at least two Availability Zones (three for two replicas) so that Multi-AZ can place the replicas away from the primary."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups of the applications (agents, API servers) allowed to connect on `port`. The least-privilege way to admit clients."
  type        = list(string)
  default     = []
}

variable "allowed_cidr_blocks" {
  description = "CIDR blocks allowed to connect on `port`, for clients without a security group (peered VPCs, VPN). Blocks open to the world are rejected."
  type        = list(string)
  default     = []
}

variable "port" {
  description = "Port the cache listens on. Changing it replaces the store."
  type        = number
  default     = 6379
}

variable "engine" {
  description = "Cache engine: `valkey` or `redis` (Redis OSS). Valkey nodes cost 20 % less for the same commands and clients. Memcached has no replicas or snapshots and cannot hold sessions durably."
  type        = string
  default     = "valkey"
}

variable "engine_version" {
  description = "Engine version as `MAJOR.MINOR`; null takes the provider's default (8.0 for valkey, 7.1 for redis). Upgrades are in place."
  type        = string
  default     = null
}

variable "load_pattern" {
  description = "Shape of the load over time: `steady` (nodes, `provisioned`; reserve them) or `spiky` (a serverless cache, `serverless`, which scales per request and bills per GB-hour and ECPU). Changing it replaces the store."
  type        = string
  default     = "steady"
}

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
    `apply_immediately` (false: node type and version changes wait for the maintenance window).
  EOT
  type        = any
  default     = {}
}

variable "serverless" {
  description = "Usage limits and snapshots of the serverless cache (`load_pattern = \"spiky\"`), each optional: `max_data_storage_gb` (1-5000) and `max_ecpu_per_second` (1000-15000000), null meaning no limit, the bill never exceeds them; `daily_snapshot_time` (`hh:mm` UTC, default the start of `provisioned.snapshot_window`) and `snapshot_retention_days` (default the provisioned one). A serverless cache authenticates with RBAC only (`security.user_group_id`, no `auth_token`)."
  type        = any
  default     = {}
}

variable "security" {
  description = "Optional `kms_key_arn` (customer managed key for encryption at rest; the AWS managed key when null; changing it replaces the store) and `user_group_id` (an RBAC user group instead of an AUTH token). TLS is always required."
  type        = any
  default     = {}
}

variable "users" {
  description = "RBAC users of the tier, created by the stack with least-privilege access strings in a user group of its own (with a disabled `default` user): `app` (`on ~{ns}:* -@all +@read +@write +@keyspace +@connection -@dangerous`, `{ns}` the key namespace). Each with `password_version` (with `user_passwords`; increase it to rotate) or `authentication = \"iam\"`. The way to authenticate a serverless cache; not with `security.user_group_id` or `auth_token`."
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
  description = "CloudWatch alarms (CPU, memory, evictions, connections, replication lag, swap), each field optional: `enabled` (true), `alarm_actions` and `ok_actions` (ARNs notified when an alarm fires / returns to OK), `overrides` (per-alarm `{ enabled, threshold }` merged over the tier's defaults attribute by attribute; the tier sets `evictions` threshold 0 and `hit_rate` off). Override keys: `engine_cpu`, `cpu`, `memory`, `evictions`, `connections`, `replication_lag`, `swap`, `hit_rate`, `read_latency` / `write_latency` (on nodes only with `enabled = true`); for serverless also `throttled_commands`, `ecpu`, `storage`."
  type        = any
  default     = {}
}

variable "notification_topic_arn" {
  description = "SNS topic that receives ElastiCache events (failovers, maintenance)."
  type        = string
  default     = null
}

variable "expected_load" {
  description = "What the store is expected to carry: `data_gb`, `requests_per_second`, `avg_request_kb` (default 1) and, for spiky loads, `peak_to_average`. Sizes the cost estimate and enables the serverless-vs-provisioned and right-size recommendations; `load_pattern` gives the pattern."
  type        = any
  default     = null
}

variable "tags" {
  description = "Tags for every component, merged over `{ tier = \"genai-session\" }` and the provider's default_tags."
  type        = map(string)
  default     = {}
}

variable "key_namespace" {
  description = "Prefix of every key the applications write, so several services can share the store and an ACL can scope a user to `~<namespace>:*`. Null uses `name`."
  type        = string
  default     = null
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
