# ---------------------------------------------------------------------------------------------
# Required
# ---------------------------------------------------------------------------------------------

variable "name" {
  description = "Name of the cache. It names every component (replication group, subnet group, parameter group, the `elasticache-<name>` security group, alarms under `elasticache/<name>/`) and is the default key namespace. Lowercase letters, digits and hyphens, starting with a letter, at most 40 characters. Changing it replaces the cache (it starts cold)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,39}$", var.name)) && !endswith(var.name, "-") && !strcontains(var.name, "--")
    error_message = "name must start with a lowercase letter, contain only lowercase letters, digits and single hyphens, not end with a hyphen, and have at most 40 characters."
  }
}

variable "subnet_ids" {
  description = "Private subnets for the cache nodes, all in one VPC. Give subnets in at least two Availability Zones so that Multi-AZ can place the replicas away from the primaries."
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
  description = "Security groups of the applications (agents, retrieval services, API servers) allowed to connect on `port`. The least-privilege way to admit clients."
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
  description = "Port the cache listens on. Changing it replaces the cache."
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
    error_message = "engine must be \"valkey\" or \"redis\" (Memcached has no replicas, so a node loss empties a part of the cache)."
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
  description = "Node type of every node. A cache's hit rate grows with memory: memory-optimized r7g holds the most data per dollar."
  type        = string
  default     = "cache.r7g.large"
  nullable    = false

  validation {
    condition     = can(regex("^cache\\.[a-z0-9]+\\.[a-z0-9]+$", var.node_type))
    error_message = "node_type must look like cache.<family>.<size>, e.g. cache.r7g.large."
  }
}

variable "shards" {
  description = "Shards (node groups). More than one turns cluster mode on (data and writes spread over the shards): clients must be cluster-aware, and keys read together (MGET) or invalidated together (tag sets) must share a hash tag, see the `key_conventions` output."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.shards >= 1 && var.shards <= 500 && floor(var.shards) == var.shards
    error_message = "shards must be a whole number from 1 to 500."
  }
}

variable "replicas_per_shard" {
  description = "Read replicas per shard, 1 to 5. One fails over (10-30 s) instead of emptying the shard and serves reads; add more for read throughput."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.replicas_per_shard >= 1 && var.replicas_per_shard <= 5 && floor(var.replicas_per_shard) == var.replicas_per_shard
    error_message = "replicas_per_shard must be a whole number from 1 to 5: without a replica a node loss empties its shard and sends every read to the origin at once."
  }
}

variable "multi_az" {
  description = "Place replicas in other Availability Zones and fail over automatically (10-30 s)."
  type        = bool
  default     = true
  nullable    = false
}

variable "eviction_policy" {
  description = "`maxmemory-policy` of the cache: `allkeys-lru` (evict the least recently used key, with or without TTL) or `allkeys-lfu` (least frequently used; better when a few prompts or profiles are hot for long). Only allkeys-* policies: a cache must make room for new entries instead of failing writes."
  type        = string
  default     = "allkeys-lru"
  nullable    = false

  validation {
    condition     = contains(["allkeys-lru", "allkeys-lfu"], var.eviction_policy)
    error_message = "eviction_policy must be \"allkeys-lru\" or \"allkeys-lfu\"; for data that must not be evicted use the genai-session (volatile-lru) or rate-limit (noeviction) module."
  }
}

variable "parameters" {
  description = "Other engine parameters for the cache's parameter group, e.g. `{ timeout = \"300\" }`. `maxmemory-policy` (`eviction_policy`) and `cluster-enabled` are set by the module."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = !contains(keys(var.parameters), "maxmemory-policy") && !contains(keys(var.parameters), "cluster-enabled")
    error_message = "parameters must not set maxmemory-policy (use eviction_policy) or cluster-enabled (derived from shards)."
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
  description = "Days to keep daily automatic snapshots, 0 (off) to 35. A cache refills from its origin, and the snapshot's fork() causes a daily latency spike: off by default."
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
  description = "Customer managed KMS key for encryption at rest; the AWS managed key when null. Changing it replaces the cache."
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
  description = "Create the stack's CloudWatch alarms (hit rate, CPU, memory, evictions, connections, replication lag, swap)."
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
  description = "Per-alarm changes merged over the tier's defaults (`hit_rate` below 50 %), attribute by attribute. Keys: `engine_cpu`, `cpu`, `memory`, `evictions`, `connections`, `replication_lag`, `swap`, `hit_rate`, and `read_latency` / `write_latency` (on nodes only with `enabled = true`); for serverless also `throttled_commands`, `ecpu`, `storage`."
  type = map(object({
    enabled   = optional(bool)
    threshold = optional(number)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k in keys(var.alarm_overrides) : contains(["engine_cpu", "cpu", "memory", "evictions", "connections", "replication_lag", "swap", "hit_rate", "read_latency", "write_latency", "throttled_commands", "ecpu", "storage"], k)])
    error_message = "alarm_overrides keys must be among engine_cpu, cpu, memory, evictions, connections, replication_lag, swap, hit_rate, read_latency, write_latency, throttled_commands, ecpu, storage."
  }
}

variable "notification_topic_arn" {
  description = "SNS topic that receives ElastiCache events (failovers, maintenance)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for every component, merged over `{ tier = \"cache\" }` and the provider's default_tags."
  type        = map(string)
  default     = {}
  nullable    = false
}

# ---------------------------------------------------------------------------------------------
# Load and cost
# ---------------------------------------------------------------------------------------------

variable "load_pattern" {
  description = "Shape of the load over time: `steady` (node-based; reserve the nodes) or `spiky` (serverless, which scales per request and bills per GB-hour and ECPU)."
  type        = string
  default     = "steady"
  nullable    = false

  validation {
    condition     = contains(["steady", "spiky"], var.load_pattern)
    error_message = "load_pattern must be \"steady\" or \"spiky\"."
  }
}

variable "serverless" {
  description = "Usage limits and snapshots of the serverless cache used when `load_pattern = \"spiky\"`; the bill never exceeds the limits: at `max_data_storage_gb` keys with a TTL are evicted, least recently used first (every cache entry should carry one), beyond `max_ecpu_per_second` requests are throttled. Null limits mean none; snapshots default to the start of `snapshot_window` and `snapshot_retention_days` (0: none). A serverless cache authenticates with RBAC only (`user_group_id`, no `auth_token`)."
  type = object({
    max_data_storage_gb     = optional(number)
    max_ecpu_per_second     = optional(number)
    daily_snapshot_time     = optional(string)
    snapshot_retention_days = optional(number)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.serverless.max_data_storage_gb == null ? true : var.serverless.max_data_storage_gb >= 1 && var.serverless.max_data_storage_gb <= 5000 && floor(var.serverless.max_data_storage_gb) == var.serverless.max_data_storage_gb
    error_message = "serverless.max_data_storage_gb must be a whole number of GB from 1 to 5000 (or null for no limit)."
  }
  validation {
    condition     = var.serverless.max_ecpu_per_second == null ? true : var.serverless.max_ecpu_per_second >= 1000 && var.serverless.max_ecpu_per_second <= 15000000 && floor(var.serverless.max_ecpu_per_second) == var.serverless.max_ecpu_per_second
    error_message = "serverless.max_ecpu_per_second must be a whole number from 1000 to 15000000 (or null for no limit)."
  }
  validation {
    condition     = var.serverless.daily_snapshot_time == null ? true : can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]$", var.serverless.daily_snapshot_time))
    error_message = "serverless.daily_snapshot_time must look like 03:00 (UTC)."
  }
  validation {
    condition     = var.serverless.snapshot_retention_days == null ? true : var.serverless.snapshot_retention_days >= 0 && var.serverless.snapshot_retention_days <= 35 && floor(var.serverless.snapshot_retention_days) == var.serverless.snapshot_retention_days
    error_message = "serverless.snapshot_retention_days must be a whole number from 0 to 35."
  }
}

variable "expected_load" {
  description = "What the cache is expected to carry: data set in GB, average requests per second, average KB per request and, for spiky loads, peak/average. Sizes the cost estimate and enables the serverless-vs-provisioned and right-size recommendations. `load_pattern` gives the pattern."
  type = object({
    data_gb             = number
    requests_per_second = number
    avg_request_kb      = optional(number, 1)
    peak_to_average     = optional(number)
  })
  default = null

  validation {
    condition     = var.expected_load == null || try(var.expected_load.data_gb >= 0 && var.expected_load.requests_per_second >= 0 && var.expected_load.avg_request_kb >= 0, false)
    error_message = "expected_load values must be 0 or more."
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
  description = "Prefix of every key the applications write, so several services can share the cache and an ACL can scope a user to `~<namespace>:*`. Null uses `name`."
  type        = string
  default     = null

  validation {
    condition     = var.key_namespace == null || can(regex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", var.key_namespace))
    error_message = "key_namespace must be 1 to 64 letters, digits, '_', '.' or '-', without ':' (the module adds the separators)."
  }
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
