# Inputs of the stack every tier module builds. The tier modules pass their callers' values
# through unchanged and fix, in `tier`, only what differs between tiers; every check of a
# caller's value is here, once. Groups and names follow elasticache_stack's own blocks.

variable "tier" {
  description = "What the calling tier module fixes: its `name` (the `tier` tag), the `eviction_policies` its nodes may have (its default first), whether `load_pattern = \"spiky\"` may select a serverless cache (`serverless_allowed`), its defaults for the node settings and the request size that differ between tiers, and its alarm defaults (`alarm_overrides`, merged under the caller's attribute by attribute)."
  type = object({
    name                    = string
    eviction_policies       = list(string)
    serverless_allowed      = bool
    node_type               = string
    replicas_per_shard      = number
    snapshot_retention_days = number
    avg_request_kb          = number
    alarm_overrides = map(object({
      enabled   = optional(bool)
      threshold = optional(number)
    }))
    # The RBAC users the tier's job needs, by user name, with least-privilege access strings;
    # "{ns}" stands for the key namespace.
    users = optional(map(string), {})
  })
  nullable = false
}

variable "name" {
  description = "Name of the stack; it names every component and is the default key namespace."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,39}$", var.name)) && !endswith(var.name, "-") && !strcontains(var.name, "--")
    error_message = "name must start with a lowercase letter, contain only lowercase letters, digits and single hyphens, not end with a hyphen, and have at most 40 characters."
  }
}

variable "network" {
  description = "Subnets, the security groups and CIDR blocks admitted, and the port."
  type = object({
    subnet_ids                 = list(string)
    allowed_security_group_ids = optional(list(string), [])
    allowed_cidr_blocks        = optional(list(string), [])
    port                       = optional(number, 6379)
    # Shared platform groups attached next to the stack's own; their rules are never edited.
    additional_security_group_ids = optional(list(string), [])
  })
  nullable = false

  validation {
    condition     = length(var.network.subnet_ids) > 0 && alltrue([for s in var.network.subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "subnet_ids must list at least one subnet ID of the form subnet-0123abcd."
  }
  validation {
    condition     = alltrue([for g in var.network.allowed_security_group_ids : can(regex("^sg-[0-9a-f]+$", g))])
    error_message = "allowed_security_group_ids must hold security group IDs of the form sg-0123abcd."
  }
  validation {
    condition     = alltrue([for c in var.network.allowed_cidr_blocks : can(cidrhost(c, 0)) && !endswith(c, "/0")])
    error_message = "allowed_cidr_blocks must hold CIDR blocks such as 10.0.0.0/16; 0.0.0.0/0 and ::/0 are not allowed for a cache."
  }
  validation {
    condition     = alltrue([for g in var.network.additional_security_group_ids : can(regex("^sg-[0-9a-f]+$", g))])
    error_message = "additional_security_group_ids must hold security group IDs of the form sg-0123abcd."
  }
  validation {
    condition     = var.network.port >= 1024 && var.network.port <= 65535 && floor(var.network.port) == var.network.port
    error_message = "port must be a whole number from 1024 to 65535."
  }
}

variable "engine" {
  description = "`valkey` or `redis` (Redis OSS)."
  type        = string
  default     = "valkey"
  nullable    = false

  validation {
    condition     = contains(["valkey", "redis"], var.engine)
    error_message = "engine must be \"valkey\" or \"redis\": every tier relies on replicas to fail over to (and the rate-limit tier on Lua scripts), which Memcached does not have."
  }
}

variable "engine_version" {
  description = "`MAJOR.MINOR`; null takes the provider's default."
  type        = string
  default     = null

  validation {
    condition     = var.engine_version == null || can(regex("^[0-9]+\\.[0-9]+$", var.engine_version))
    error_message = "engine_version must look like 8.0 (MAJOR.MINOR)."
  }
}

variable "load_pattern" {
  description = "`steady` (nodes) or `spiky` (a serverless cache, where `tier.serverless_allowed`)."
  type        = string
  default     = "steady"
  nullable    = false

  validation {
    condition     = contains(["steady", "spiky"], var.load_pattern)
    error_message = "load_pattern must be \"steady\" or \"spiky\"."
  }
}

variable "provisioned" {
  description = "Node settings, used when the stack runs on nodes. A null field takes the tier's default (`node_type`, `eviction_policy`, `replicas_per_shard`, `snapshot_retention_days`) or the one given here."
  type = object({
    node_type               = optional(string)
    eviction_policy         = optional(string)
    shards                  = optional(number, 1)
    replicas_per_shard      = optional(number)
    multi_az                = optional(bool, true)
    parameters              = optional(map(string), {})
    snapshot_retention_days = optional(number)
    snapshot_window         = optional(string, "03:00-04:00")
    maintenance_window      = optional(string, "sun:05:00-sun:06:00")
    final_snapshot_name     = optional(string)
    apply_immediately       = optional(bool, false)
    # Application Auto Scaling of a cluster-mode group (shards >= 2): see elasticache_stack.
    autoscaling = optional(object({
      replicas = optional(object({ min = optional(number), max = number, target_cpu_percent = number }))
      shards   = optional(object({ min = optional(number), max = number, target_memory_percent = number }))
    }))
    # AWS's default; false for change-controlled fleets that upgrade through engine_version only.
    auto_minor_version_upgrade = optional(bool, true)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.provisioned.node_type == null || can(regex("^cache\\.[a-z0-9]+\\.[a-z0-9]+$", var.provisioned.node_type))
    error_message = "provisioned.node_type must look like cache.<family>.<size>, e.g. cache.r7g.large."
  }
  validation {
    condition     = var.provisioned.eviction_policy == null || contains(var.tier.eviction_policies, coalesce(var.provisioned.eviction_policy, "-"))
    error_message = "provisioned.eviction_policy must be ${join(" or ", var.tier.eviction_policies)} in the ${var.tier.name} tier, whose correctness depends on it: data that must not be evicted belongs in genai-session (volatile-lru) or rate-limit (noeviction), evictable data in cache (allkeys-lru or allkeys-lfu)."
  }
  validation {
    condition     = var.provisioned.shards >= 1 && var.provisioned.shards <= 500 && floor(var.provisioned.shards) == var.provisioned.shards
    error_message = "provisioned.shards must be a whole number from 1 to 500."
  }
  validation {
    condition     = var.provisioned.replicas_per_shard == null ? true : var.provisioned.replicas_per_shard >= 1 && var.provisioned.replicas_per_shard <= 5 && floor(var.provisioned.replicas_per_shard) == var.provisioned.replicas_per_shard
    error_message = "provisioned.replicas_per_shard must be a whole number from 1 to 5: without a replica a node loss takes the ${var.tier.name} tier's data (or the service) with it."
  }
  validation {
    condition     = !contains(keys(var.provisioned.parameters), "maxmemory-policy") && !contains(keys(var.provisioned.parameters), "cluster-enabled")
    error_message = "provisioned.parameters must not set maxmemory-policy (set by provisioned.eviction_policy: ${join(" or ", var.tier.eviction_policies)} in the ${var.tier.name} tier) or cluster-enabled (derived from shards)."
  }
  validation {
    condition     = var.provisioned.snapshot_retention_days == null ? true : var.provisioned.snapshot_retention_days >= 0 && var.provisioned.snapshot_retention_days <= 35 && floor(var.provisioned.snapshot_retention_days) == var.provisioned.snapshot_retention_days
    error_message = "provisioned.snapshot_retention_days must be a whole number from 0 to 35."
  }
  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.provisioned.snapshot_window))
    error_message = "provisioned.snapshot_window must look like 03:00-04:00 (UTC)."
  }
  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$", var.provisioned.maintenance_window))
    error_message = "provisioned.maintenance_window must look like sun:05:00-sun:06:00 (UTC)."
  }
}

variable "serverless" {
  description = "Usage limits, pre-warming minimums and snapshots of the serverless cache (`load_pattern = \"spiky\"`). Null limits and minimums mean none; snapshots default to the start of `provisioned.snapshot_window` and the tier's retention."
  type = object({
    max_data_storage_gb     = optional(number)
    max_ecpu_per_second     = optional(number)
    min_data_storage_gb     = optional(number)
    min_ecpu_per_second     = optional(number)
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
    condition     = var.serverless.min_data_storage_gb == null ? true : var.serverless.min_data_storage_gb >= 1 && var.serverless.min_data_storage_gb <= coalesce(var.serverless.max_data_storage_gb, 5000) && floor(var.serverless.min_data_storage_gb) == var.serverless.min_data_storage_gb
    error_message = "serverless.min_data_storage_gb (pre-warming) must be a whole number of GB from 1 to 5000, at most max_data_storage_gb (or null for none)."
  }
  validation {
    condition     = var.serverless.min_ecpu_per_second == null ? true : var.serverless.min_ecpu_per_second >= 1000 && var.serverless.min_ecpu_per_second <= coalesce(var.serverless.max_ecpu_per_second, 15000000) && floor(var.serverless.min_ecpu_per_second) == var.serverless.min_ecpu_per_second
    error_message = "serverless.min_ecpu_per_second (pre-warming) must be a whole number from 1000 to 15000000, at most max_ecpu_per_second (or null for none)."
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

variable "security" {
  description = "Customer managed KMS key for encryption at rest (`kms_key_arn`, the AWS managed key when null) and an RBAC user group (`user_group_id`)."
  type = object({
    kms_key_arn   = optional(string)
    user_group_id = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.security.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.security.kms_key_arn))
    error_message = "security.kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
  validation {
    condition     = var.security.user_group_id == null || var.auth_token_version == null
    error_message = "Use either security.user_group_id (RBAC) or auth_token, not both."
  }
}

variable "auth_token" {
  description = "AUTH token for a write-only attribute: it never reaches state, plan or outputs."
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
  description = "Version of `auth_token`, required with it; increasing it rotates the token."
  type        = number
  default     = null

  validation {
    condition     = (var.auth_token_version == null) == (var.auth_token == null)
    error_message = "auth_token_version must be set together with auth_token (and only then): increase it to rotate the token."
  }
}

variable "alarms" {
  description = "CloudWatch alarms: `enabled`, `alarm_actions`, `ok_actions` and per-alarm `overrides`, merged over the tier's attribute by attribute."
  type = object({
    enabled       = optional(bool, true)
    alarm_actions = optional(list(string), [])
    ok_actions    = optional(list(string), [])
    overrides = optional(map(object({
      enabled   = optional(bool)
      threshold = optional(number)
    })), {})
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k in keys(var.alarms.overrides) : contains(concat(local.node_alarms, var.tier.serverless_allowed ? local.serverless_alarms : []), k)])
    error_message = "alarms.overrides keys must be among ${join(", ", concat(local.node_alarms, var.tier.serverless_allowed ? local.serverless_alarms : []))}."
  }
}

variable "notification_topic_arn" {
  description = "SNS topic that receives ElastiCache events (failovers, maintenance)."
  type        = string
  default     = null
}

variable "expected_load" {
  description = "What the stack is expected to carry (`data_gb`, `requests_per_second`, `avg_request_kb`, `peak_to_average`, and `pattern` where the tier cannot follow `load_pattern`); prices it and enables the deployment and right-size recommendations."
  type = object({
    data_gb             = number
    requests_per_second = number
    avg_request_kb      = optional(number)
    pattern             = optional(string, "steady")
    peak_to_average     = optional(number)
  })
  default = null

  validation {
    condition     = var.expected_load == null || try(var.expected_load.data_gb >= 0 && var.expected_load.requests_per_second >= 0 && coalesce(var.expected_load.avg_request_kb, 0) >= 0, false)
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

variable "tags" {
  description = "Tags for every component, merged over `{ tier = <tier.name> }`."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "users" {
  description = "Which of the tier's RBAC users the stack creates (the tier fixes their access strings), each with `password_version` (set it, and increase it to rotate, with `user_passwords`) or `authentication = \"iam\"`. The stack adds a disabled `default` user to its own user group. Not with `security.user_group_id` or `auth_token`."
  type = map(object({
    password_version = optional(number)
    authentication   = optional(string, "password")
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k in keys(var.users) : contains(keys(var.tier.users), k)])
    error_message = "users may name only the tier's users: ${join(", ", keys(var.tier.users))}."
  }
  validation {
    condition     = alltrue([for u in values(var.users) : contains(["password", "iam"], u.authentication) && (u.authentication == "iam") == (u.password_version == null)])
    error_message = "Each user has either password_version (with user_passwords) or authentication = \"iam\"."
  }
  validation {
    condition     = length(var.users) == 0 || (var.security.user_group_id == null && var.auth_token_version == null)
    error_message = "Use users, security.user_group_id or auth_token: one of them."
  }
}

variable "user_passwords" {
  description = "Passwords of the password users, by user name: one or two each (two while clients move to a new one), 16 to 128 characters. Ephemeral and passed to a write-only attribute: never in state, plan or outputs."
  type        = map(list(string))
  default     = {}
  nullable    = false
  sensitive   = true
  ephemeral   = true
}

variable "key_namespace" {
  description = "Prefix of every key; null uses `name`."
  type        = string
  default     = null

  validation {
    condition     = var.key_namespace == null || can(regex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", var.key_namespace))
    error_message = "key_namespace must be 1 to 64 letters, digits, '_', '.' or '-', without ':' (the module adds the separators)."
  }
}

variable "final_snapshot_name" {
  description = "Snapshot taken when the stack is destroyed or replaced, in either mode; null takes none (or `provisioned.final_snapshot_name`, its older, node-only form)."
  type        = string
  default     = null

  validation {
    condition     = var.final_snapshot_name == null || var.provisioned.final_snapshot_name == null
    error_message = "Set final_snapshot_name (taken in either mode) or provisioned.final_snapshot_name (its older, node-only form), not both."
  }
  validation {
    condition     = var.final_snapshot_name == null || can(regex("^[A-Za-z][A-Za-z0-9-]*$", var.final_snapshot_name))
    error_message = "final_snapshot_name must start with a letter and contain only letters, digits and hyphens (AWS's snapshot names)."
  }
}

variable "restore_from" {
  description = "Data the stack starts from, read at creation only (elasticache_stack's `restore_from`): one of `snapshot_name` or `rdb_s3_arns` on nodes, `snapshot_arns` for a serverless cache. Null starts empty."
  type = object({
    snapshot_name = optional(string)
    rdb_s3_arns   = optional(list(string))
    snapshot_arns = optional(list(string))
  })
  default = null

  validation {
    condition     = var.restore_from == null ? true : length([for v in [var.restore_from.snapshot_name, var.restore_from.rdb_s3_arns, var.restore_from.snapshot_arns] : v if try(length(v) > 0, false)]) == 1
    error_message = "restore_from must set exactly one of snapshot_name, rdb_s3_arns and snapshot_arns (or be null to start empty)."
  }
  validation {
    condition     = var.restore_from == null ? true : (var.tier.serverless_allowed && var.load_pattern == "spiky") == (try(length(var.restore_from.snapshot_arns), 0) > 0)
    error_message = "restore_from must fit the mode: a serverless cache (load_pattern = \"spiky\") restores from snapshot_arns; nodes from snapshot_name or rdb_s3_arns."
  }
  validation {
    condition     = var.restore_from == null ? true : var.restore_from.snapshot_name == null || can(regex("^[A-Za-z][A-Za-z0-9-]*$", var.restore_from.snapshot_name))
    error_message = "restore_from.snapshot_name must start with a letter and contain only letters, digits and hyphens."
  }
  validation {
    condition     = try(var.restore_from.rdb_s3_arns, null) == null ? true : alltrue([for a in var.restore_from.rdb_s3_arns : can(regex("^arn:aws[a-z-]*:s3:::[^/,]+/[^,]+$", a))])
    error_message = "restore_from.rdb_s3_arns must hold S3 object ARNs such as arn:aws:s3:::my-bucket/backup.rdb (no commas)."
  }
  validation {
    condition     = try(var.restore_from.snapshot_arns, null) == null ? true : alltrue([for a in var.restore_from.snapshot_arns : can(regex("^arn:aws[a-z-]*:elasticache:[a-z0-9-]+:[0-9]{12}:(serverlesscachesnapshot|snapshot):[A-Za-z][A-Za-z0-9-]*$", a))])
    error_message = "restore_from.snapshot_arns must hold ElastiCache snapshot ARNs (arn:aws:elasticache:<region>:<account>:serverlesscachesnapshot:<name> or ...:snapshot:<name>)."
  }
}

variable "preserve_data_on_replace" {
  description = "When a change replaces the stack (name, port, KMS key, mode), snapshot the old cache and restore it into the new one (elasticache_stack's `preserve_data_on_replace`)."
  type        = bool
  default     = false
  nullable    = false
}

variable "keep_preserve_snapshot" {
  description = "Keep the snapshot of a preserving replacement after the restore (deleted by default)."
  type        = bool
  default     = false
  nullable    = false

  validation {
    condition     = !var.keep_preserve_snapshot || var.preserve_data_on_replace
    error_message = "keep_preserve_snapshot keeps the snapshot of a preserving replacement: set preserve_data_on_replace = true with it."
  }
}

variable "global" {
  description = "Global Datastore membership (elasticache_stack's `global`): `role = \"primary\"` creates one from this stack; `join = <primary's global_datastore_id>` makes this stack a secondary, which inherits engine, version, node type, shards, eviction policy and parameters (the module then sends none of them); `promote` (with `join`) fails over to this stack. Null: a regional stack."
  type = object({
    role    = optional(string)
    join    = optional(string)
    promote = optional(bool, false)
  })
  default = null

  validation {
    condition     = var.global == null ? true : var.global.role != null || var.global.join != null
    error_message = "global must set role = \"primary\" (create the global datastore) or join = <id> (a secondary); null keeps the stack in one region."
  }
  validation {
    condition     = var.global == null ? true : !(var.global.role != null && var.global.join != null)
    error_message = "global sets role = \"primary\" (create the global datastore) or join = <id> (a secondary), not both."
  }
  validation {
    condition     = var.global == null ? true : var.global.role == null || var.global.role == "primary"
    error_message = "global.role must be \"primary\"; a secondary sets global.join = <primary's global_datastore_id> instead."
  }
  validation {
    condition     = var.global == null ? true : !var.global.promote || var.global.join != null
    error_message = "global.promote fails over to a secondary: set it with global.join."
  }
}
