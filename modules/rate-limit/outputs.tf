locals {
  stack = module.stack.stack
  ns    = module.stack.key_namespace
}

output "name" {
  description = "Name of the stack (also the replication group ID)."
  value       = local.stack.name
}

output "arn" {
  description = "ARN of the replication group."
  value       = local.stack.arn
}

output "mode" {
  description = "Deployment mode: always `provisioned` (serverless caches cannot be set to noeviction)."
  value       = local.stack.mode
}

output "engine" {
  description = "Engine and version the limiter runs, e.g. `valkey 8.0`."
  value       = module.stack.engine
}

output "endpoint" {
  description = "Where clients connect: the primary endpoint, or the configuration endpoint with cluster mode (shards > 1; use a cluster-aware client). TLS is required."
  value       = module.stack.endpoint
}

output "reader_endpoint" {
  description = "Reader endpoint, balanced over the replicas (null with cluster mode, where cluster-aware clients read replicas themselves). Rate-limit checks must read and write the primary (`endpoint`); replica reads may lag and under-count."
  value       = module.stack.reader_endpoint
}

output "port" {
  description = "Port the endpoints listen on."
  value       = local.stack.port
}

output "connection_url" {
  description = "Connection URL without credentials, `rediss://<endpoint>:<port>` (TLS). Add the AUTH token or RBAC user from your secret store in the client, never in this URL."
  value       = module.stack.connection_url
}

output "reader_connection_url" {
  description = "Reader connection URL without credentials, `rediss://<reader_endpoint>:<port>`; null with cluster mode."
  value       = module.stack.reader_connection_url
}

output "cluster_mode_enabled" {
  description = "Whether cluster mode is on (shards > 1): clients must be cluster-aware and multi-key commands need keys in one hash slot."
  value       = local.stack.cluster_mode_enabled
}

output "security_group_id" {
  description = "ID of the limiter's security group; it admits `allowed_security_group_ids` and `allowed_cidr_blocks` on `port` only."
  value       = local.stack.security_group_id
}

output "security_group_rules" {
  description = "The security group's rules as observed, one line each."
  value       = local.stack.security_group_rules
}

output "subnet_group_name" {
  description = "Name of the cache subnet group."
  value       = local.stack.subnet_group_name
}

output "parameter_group_name" {
  description = "Name of the parameter group that carries the eviction policy."
  value       = local.stack.parameter_group_name
}

output "vpc_id" {
  description = "VPC of the limiter."
  value       = local.stack.vpc_id
}

output "member_clusters" {
  description = "IDs of the member cache clusters (one per node)."
  value       = local.stack.member_clusters
}

output "eviction_policy" {
  description = "The limiter's `maxmemory-policy`: `noeviction` (a counter is never dropped; a full memory fails writes instead)."
  value       = module.stack.eviction_policy
}

output "alarm_names" {
  description = "Names of the CloudWatch alarms, all under `elasticache/<name>/`."
  value       = local.stack.alarm_names
}

output "cost" {
  description = "Estimated cost, known at plan time: `hourly_usd`, `monthly_usd` (730 h), `breakdown` (nodes, storage, ecpu, backups), `source` of the prices and their date `as_of`. Data transfer is not included."
  value       = local.stack.cost
}

output "recommendations" {
  description = "Ways to pay less: `reserved_nodes`, `serverless`/`provisioned` (with `expected_load`) and `right_size`, each `{ kind, summary, monthly_savings_usd }`. A `serverless` recommendation is about price only: this module keeps the limiter on nodes for noeviction."
  value       = local.stack.recommendations
}

output "window_seconds" {
  description = "Rate-limit window length the conventions below assume."
  value       = var.window_seconds
}

output "ttl_seconds" {
  description = "TTL per kind of key. Set it in the same call that creates the key (`SET key 0 EX ttl NX`, or INCR then `EXPIRE key ttl NX` in one MULTI or Lua script): a counter without a TTL never expires and, with noeviction, fills memory."
  value = {
    fixed_window   = 2 * var.window_seconds
    sliding_window = 2 * var.window_seconds
    token_bucket   = "ceil(capacity / refill_per_second) seconds, renewed on every take"
  }
}

output "key_conventions" {
  description = "Key prefix conventions. `{<subject>}` is a hash tag (the subject is the API key, tenant, user or model being limited): every key of one subject lands in the same hash slot, so one Lua script updates them atomically with cluster mode too."
  value = {
    namespace      = local.ns
    fixed_window   = "${local.ns}:rl:{<subject>}:<window_start_epoch>"
    sliding_window = "${local.ns}:rl:{<subject>}:<window_start_epoch> (current and previous window, weighted)"
    token_bucket   = "${local.ns}:tb:{<subject>} (hash: tokens, updated_at; take in one Lua script)"
    concurrency    = "${local.ns}:cc:{<subject>} (sorted set of in-flight request ids scored by deadline)"
    acl_pattern    = "~${local.ns}:*"
  }
}
