# tflint-ignore-file: terraform_standard_module_structure
# Inputs every tier module takes with the same meaning. modules/cache holds this file;
# modules/genai-session and modules/rate-limit link to it, so one definition serves the three
# tiers. What differs by tier (provisioned, alarms and the tier's own inputs) stays in each
# tier's variables.tf. Values are checked once, in ../internal/stack.
# (The annotation above: tflint wants variables in variables.tf and outputs in outputs.tf; these
# declarations are shared by the tiers through this one file instead.)

variable "name" {
  description = "Name of the cache. It names every component (replication group or serverless cache, subnet group, parameter group, the `elasticache-<name>` security group, alarms under `elasticache/<name>/`) and is the default key namespace. Lowercase letters, digits and hyphens, starting with a letter, at most 40 characters. Changing it replaces the cache: the new one starts empty (cached entries, sessions, counters are gone)."
  type        = string
}

variable "engine" {
  description = "Cache engine: `valkey` or `redis` (Redis OSS). Valkey nodes cost 20 % less for the same commands and clients. Memcached is not offered: it has no replicas to fail over to, no snapshots and no Lua scripts."
  type        = string
  default     = "valkey"
}

variable "tags" {
  description = "Tags for every component, merged over `{ tier = \"<the tier module's name>\" }` and the provider's default_tags."
  type        = map(string)
  default     = {}
}

variable "subnet_ids" {
  description = "Private subnets for the cache nodes, all in one VPC. Give subnets in at least two Availability Zones (one more than the replicas per shard places every copy in its own zone) so that Multi-AZ can place the replicas away from the primary."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups of the applications (agents, API servers, retrieval services, model proxies) allowed to connect on `port`. The least-privilege way to admit clients."
  type        = list(string)
  default     = []
}

variable "additional_security_group_ids" {
  description = "Security groups managed elsewhere (shared platform groups: monitoring agents, VPC endpoints, organization baselines) attached to the cache next to the stack's own group. The stack never edits their rules; they must be in the subnets' VPC."
  type        = list(string)
  default     = []
}

variable "allowed_cidr_blocks" {
  description = "CIDR blocks allowed to connect on `port`, for clients without a security group (peered VPCs, VPN). Blocks open to the world are rejected."
  type        = list(string)
  default     = []
}

variable "port" {
  description = "Port the cache listens on. Changing it replaces the cache."
  type        = number
  default     = 6379
}

variable "engine_version" {
  description = "Engine version as `MAJOR.MINOR`; null takes the provider's default (8.0 for valkey, 7.1 for redis). Upgrades are in place."
  type        = string
  default     = null
}

variable "security" {
  description = "Optional `kms_key_arn` (customer managed key for encryption at rest; the AWS managed key when null; changing it replaces the cache) and `user_group_id` (an RBAC user group instead of an AUTH token). TLS is always required."
  type        = any
  default     = {}
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

variable "users" {
  description = "RBAC users of the tier, created by the stack with least-privilege access strings in a user group of its own (with a disabled `default` user): `app`, limited to the key namespace `{ns}` (cache and genai-session: `on ~{ns}:* -@all +@read +@write +@keyspace +@connection -@dangerous`; rate-limit: `+@scripting` instead of `+@keyspace`, for the token-bucket script). Each with `password_version` (with `user_passwords`; increase it to rotate) or `authentication = \"iam\"`. The way to authenticate a serverless cache; not with `security.user_group_id` or `auth_token`."
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

variable "notification_topic_arn" {
  description = "SNS topic that receives ElastiCache events (failovers, maintenance)."
  type        = string
  default     = null
}

variable "key_namespace" {
  description = "Prefix of every key the applications write, so several services can share the cache and an ACL can scope a user to `~<namespace>:*`. Null uses `name`."
  type        = string
  default     = null
}

variable "final_snapshot_name" {
  description = "Name of a snapshot taken when the cache is destroyed or replaced, on nodes or serverless (letters, digits and hyphens, starting with a letter); null takes none. Replaces `provisioned.final_snapshot_name`, which still works on nodes (not both)."
  type        = string
  default     = null
}
