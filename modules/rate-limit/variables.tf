# ---------------------------------------------------------------------------------------------
# Required
# ---------------------------------------------------------------------------------------------

variable "name" {
  description = "Name of the rate limiter. It names every component (replication group, subnet group, parameter group, the `elasticache-<name>` security group, alarms under `elasticache/<name>/`) and is the default key namespace. Lowercase letters, digits and hyphens, starting with a letter, at most 40 characters. Changing it replaces the limiter (all counters restart)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,39}$", var.name)) && !endswith(var.name, "-") && !strcontains(var.name, "--")
    error_message = "name must start with a lowercase letter, contain only lowercase letters, digits and single hyphens, not end with a hyphen, and have at most 40 characters."
  }
}

variable "subnet_ids" {
  description = "Private subnets for the cache nodes, all in one VPC. Give subnets in at least two Availability Zones so that Multi-AZ can place the replica away from the primary."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.subnet_ids) > 0 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "subnet_ids must list at least one subnet ID of the form subnet-0123abcd."
  }
}

# ---------------------------------------------------------------------------------------------
# Network access
# ---------------------------------------------------------------------------------------------

variable "allowed_security_group_ids" {
  description = "Security groups of the applications (API gateways, agents, model proxies) allowed to connect on `port`. The least-privilege way to admit clients."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for g in var.allowed_security_group_ids : can(regex("^sg-[0-9a-f]+$", g))])
    error_message = "allowed_security_group_ids must hold security group IDs of the form sg-0123abcd."
  }
}

variable "allowed_cidr_blocks" {
  description = "CIDR blocks allowed to connect on `port`, for clients without a security group (peered VPCs, VPN). Blocks open to the world are rejected."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for c in var.allowed_cidr_blocks : can(cidrhost(c, 0)) && !endswith(c, "/0")])
    error_message = "allowed_cidr_blocks must hold CIDR blocks such as 10.0.0.0/16; 0.0.0.0/0 and ::/0 are not allowed for a cache."
  }
}

variable "port" {
  description = "Port the cache listens on. Changing it replaces the limiter."
  type        = number
  default     = 6379
  nullable    = false

  validation {
    condition     = var.port >= 1024 && var.port <= 65535 && floor(var.port) == var.port
    error_message = "port must be a whole number from 1024 to 65535."
  }
}

# ---------------------------------------------------------------------------------------------
# Engine and capacity
# ---------------------------------------------------------------------------------------------

variable "engine" {
  description = "Cache engine: `valkey` or `redis` (Redis OSS). Valkey nodes cost 20 % less for the same commands and clients."
  type        = string
  default     = "valkey"
  nullable    = false

  validation {
    condition     = contains(["valkey", "redis"], var.engine)
    error_message = "engine must be \"valkey\" or \"redis\"; Memcached has no Lua scripts for token buckets and no replicas to fail over to."
  }
}

variable "engine_version" {
  description = "Engine version as `MAJOR.MINOR`; null takes the provider's default (8.0 for valkey, 7.1 for redis). Upgrades are in place."
  type        = string
  default     = null

  validation {
    condition     = var.engine_version == null || can(regex("^[0-9]+\\.[0-9]+$", var.engine_version))
    error_message = "engine_version must look like 8.0 (MAJOR.MINOR)."
  }
}

variable "node_type" {
  description = "Node type of every node. Counters need little memory but sit on every request's path: the default is the smallest general-purpose node with steady CPU (no burst credits). cache.t4g.small is fine for development."
  type        = string
  default     = "cache.m7g.large"
  nullable    = false

  validation {
    condition     = can(regex("^cache\\.[a-z0-9]+\\.[a-z0-9]+$", var.node_type))
    error_message = "node_type must look like cache.<family>.<size>, e.g. cache.m7g.large."
  }
}

variable "shards" {
  description = "Shards (node groups). More than one turns cluster mode on: clients must be cluster-aware, and the keys of one subject must share a hash tag (`{<subject>}`, see the `key_conventions` output) so one script updates them atomically."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.shards >= 1 && var.shards <= 500 && floor(var.shards) == var.shards
    error_message = "shards must be a whole number from 1 to 500."
  }
}

variable "replicas_per_shard" {
  description = "Replicas per shard, 1 to 5. Every rate-limit command writes, so replicas add no throughput: one is enough to fail over (10-30 s) instead of losing the limiter."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.replicas_per_shard >= 1 && var.replicas_per_shard <= 5 && floor(var.replicas_per_shard) == var.replicas_per_shard
    error_message = "replicas_per_shard must be a whole number from 1 to 5: without a replica, a node loss takes the limiter down until the node is replaced."
  }
}

variable "multi_az" {
  description = "Place replicas in other Availability Zones and fail over automatically (10-30 s)."
  type        = bool
  default     = true
  nullable    = false
}

variable "parameters" {
  description = "Other engine parameters for the limiter's parameter group, e.g. `{ timeout = \"300\" }`. `maxmemory-policy` (always `noeviction` here) and `cluster-enabled` are set by the module."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = !contains(keys(var.parameters), "maxmemory-policy") && !contains(keys(var.parameters), "cluster-enabled")
    error_message = "parameters must not set maxmemory-policy (a rate limiter must never evict a counter: noeviction) or cluster-enabled (derived from shards)."
  }
}

variable "apply_immediately" {
  description = "Apply node type and engine version changes now instead of in the maintenance window."
  type        = bool
  default     = false
  nullable    = false
}

# ---------------------------------------------------------------------------------------------
# Backups and maintenance
# ---------------------------------------------------------------------------------------------

variable "snapshot_retention_days" {
  description = "Days to keep daily automatic snapshots, 0 (off) to 35. Counters live for one window (seconds to minutes): a snapshot restores only expired counters and costs a fork (latency spike) per day."
  type        = number
  default     = 0
  nullable    = false

  validation {
    condition     = var.snapshot_retention_days >= 0 && var.snapshot_retention_days <= 35 && floor(var.snapshot_retention_days) == var.snapshot_retention_days
    error_message = "snapshot_retention_days must be a whole number from 0 to 35."
  }
}

variable "snapshot_window" {
  description = "Daily snapshot window, `hh24:mi-hh24:mi` UTC, at least 60 minutes, apart from the maintenance window. Pick your lowest-traffic hour."
  type        = string
  default     = "03:00-04:00"
  nullable    = false

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.snapshot_window))
    error_message = "snapshot_window must look like 03:00-04:00 (UTC)."
  }
}

variable "maintenance_window" {
  description = "Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` UTC, at least 60 minutes."
  type        = string
  default     = "sun:05:00-sun:06:00"
  nullable    = false

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$", var.maintenance_window))
    error_message = "maintenance_window must look like sun:05:00-sun:06:00 (UTC)."
  }
}

# ---------------------------------------------------------------------------------------------
# Security
# ---------------------------------------------------------------------------------------------

variable "auth_token" {
  description = "Optional AUTH token (16 to 128 characters). Ephemeral and passed to a write-only attribute: it never reaches state, plan or outputs. Set `auth_token_version` with it and increase the version to rotate. Prefer `user_group_id` (RBAC) for per-service credentials."
  type        = string
  default     = null
  sensitive   = true
  ephemeral   = true

  validation {
    condition     = var.auth_token == null || can(regex("^[A-Za-z0-9!&#$^<>-]{16,128}$", var.auth_token))
    error_message = "auth_token must have 16 to 128 characters: letters, digits and ! & # $ ^ < > -."
  }
}

variable "auth_token_version" {
  description = "Version of `auth_token`; required with it. Terraform cannot see ephemeral values, so increasing this number is what rotates the token."
  type        = number
  default     = null

  validation {
    condition     = (var.auth_token_version == null) == (var.auth_token == null)
    error_message = "auth_token_version must be set together with auth_token (and only then): increase it to rotate the token."
  }
}

variable "user_group_id" {
  description = "RBAC user group to attach instead of an AUTH token."
  type        = string
  default     = null

  validation {
    condition     = var.user_group_id == null || var.auth_token_version == null
    error_message = "Use either user_group_id (RBAC) or auth_token, not both."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for encryption at rest; the AWS managed key when null. Changing it replaces the limiter."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

# ---------------------------------------------------------------------------------------------
# Alarms and notifications
# ---------------------------------------------------------------------------------------------

variable "alarms_enabled" {
  description = "Create the stack's CloudWatch alarms (engine and host CPU, read and write latency, memory, evictions, connections, replication lag, swap)."
  type        = bool
  default     = true
  nullable    = false
}

variable "alarm_actions" {
  description = "ARNs notified when an alarm fires (SNS topics, for example)."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "ok_actions" {
  description = "ARNs notified when an alarm returns to OK."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "alarm_overrides" {
  description = "Per-alarm changes merged over the tier's defaults (`engine_cpu` 60 %, `memory` 70 %, `evictions` 0, `read_latency` and `write_latency` on), attribute by attribute. Keys: `engine_cpu`, `cpu`, `memory`, `evictions`, `connections`, `replication_lag`, `swap`, `hit_rate`, `read_latency`, `write_latency`."
  type = map(object({
    enabled   = optional(bool)
    threshold = optional(number)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k in keys(var.alarm_overrides) : contains(["engine_cpu", "cpu", "memory", "evictions", "connections", "replication_lag", "swap", "hit_rate", "read_latency", "write_latency"], k)])
    error_message = "alarm_overrides keys must be among engine_cpu, cpu, memory, evictions, connections, replication_lag, swap, hit_rate, read_latency, write_latency."
  }
}

variable "notification_topic_arn" {
  description = "SNS topic that receives ElastiCache events (failovers, maintenance)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for every component, merged over `{ tier = \"rate-limit\" }` and the provider's default_tags."
  type        = map(string)
  default     = {}
  nullable    = false
}

# ---------------------------------------------------------------------------------------------
# Load and cost
# ---------------------------------------------------------------------------------------------

variable "expected_load" {
  description = "What the limiter is expected to carry: counter data in GB (usually well under 1), average requests per second (one per rate-limit check), average KB per request, and the load `pattern` (`steady` or `spiky`) with its peak/average. Sizes the cost estimate and enables the serverless-vs-provisioned and right-size recommendations. The limiter itself always runs on nodes: serverless caches cannot be set to noeviction."
  type = object({
    data_gb             = number
    requests_per_second = number
    avg_request_kb      = optional(number, 0.1)
    pattern             = optional(string, "steady")
    peak_to_average     = optional(number)
  })
  default = null

  validation {
    condition     = var.expected_load == null || try(var.expected_load.data_gb >= 0 && var.expected_load.requests_per_second >= 0 && var.expected_load.avg_request_kb >= 0, false)
    error_message = "expected_load values must be 0 or more."
  }
  validation {
    condition     = var.expected_load == null || try(contains(["steady", "spiky"], var.expected_load.pattern), false)
    error_message = "expected_load.pattern must be \"steady\" or \"spiky\"."
  }
  validation {
    condition     = try(var.expected_load.peak_to_average, null) == null ? true : var.expected_load.peak_to_average >= 1
    error_message = "expected_load.peak_to_average must be at least 1."
  }
}

# ---------------------------------------------------------------------------------------------
# Key and TTL conventions (outputs only; nothing is written to the cache)
# ---------------------------------------------------------------------------------------------

variable "key_namespace" {
  description = "Prefix of every key the applications write, so several services can share the limiter and an ACL can scope a user to `~<namespace>:*`. Null uses `name`."
  type        = string
  default     = null

  validation {
    condition     = var.key_namespace == null || can(regex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", var.key_namespace))
    error_message = "key_namespace must be 1 to 64 letters, digits, '_', '.' or '-', without ':' (the module adds the separators)."
  }
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
