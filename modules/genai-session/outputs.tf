locals {
  stack = module.stack.stack
  ns    = module.stack.key_namespace
}

output "name" {
  description = "Name of the stack (the replication group or serverless cache ID)."
  value       = local.stack.name
}

output "arn" {
  description = "ARN of the replication group or serverless cache."
  value       = local.stack.arn
}

output "mode" {
  description = "Deployment mode: `provisioned`, or `serverless` when `load_pattern = \"spiky\"`."
  value       = local.stack.mode
}

output "engine" {
  description = "Engine and version the store runs, e.g. `valkey 8.0`."
  value       = module.stack.engine
}

output "endpoint" {
  description = "Where clients connect: the primary endpoint, the configuration endpoint with cluster mode (shards > 1; use a cluster-aware client), or the serverless endpoint. TLS is required."
  value       = module.stack.endpoint
}

output "reader_endpoint" {
  description = "Reader endpoint, balanced over the replicas; null with cluster mode (cluster-aware clients read replicas themselves) and for serverless. Reads may lag writes by up to the replication lag; read a session you just wrote from `endpoint`."
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
  description = "Reader connection URL without credentials, `rediss://<reader_endpoint>:<port>`; null with cluster mode and for serverless."
  value       = module.stack.reader_connection_url
}

output "cluster_mode_enabled" {
  description = "Whether cluster mode is on (shards > 1): clients must be cluster-aware and multi-key commands need keys in one hash slot."
  value       = local.stack.cluster_mode_enabled
}

output "security_group_id" {
  description = "ID of the store's security group; it admits `allowed_security_group_ids` and `allowed_cidr_blocks` on `port` only."
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
  description = "Name of the parameter group that carries the eviction policy; null for serverless (no parameter groups)."
  value       = local.stack.parameter_group_name
}

output "vpc_id" {
  description = "VPC of the store."
  value       = local.stack.vpc_id
}

output "member_clusters" {
  description = "IDs of the member cache clusters (one per node); empty for serverless."
  value       = local.stack.member_clusters
}

output "eviction_policy" {
  description = "The store's eviction policy, `volatile-lru`: only keys with a TTL are ever evicted (a serverless cache behaves so at `max_data_storage_gb`)."
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
  description = "Ways to pay less: `reserved_nodes`, `serverless`/`provisioned` (with `expected_load`) and `right_size`, each `{ kind, summary, monthly_savings_usd }`."
  value       = local.stack.recommendations
}

output "session_ttl_seconds" {
  description = "Recommended session TTL: set it when a session is created and renew it (EXPIRE) on every access, so an idle session expires after this long."
  value       = var.session_ttl_seconds
}

output "ttl_seconds" {
  description = "Recommended TTL per kind of key. Every key in this store must carry a TTL: volatile-lru can only evict keys that have one."
  value = {
    session      = var.session_ttl_seconds
    agent_memory = var.agent_memory_ttl_seconds
    idempotency  = var.idempotency_ttl_seconds
    lock         = 30
  }
}

output "key_conventions" {
  description = "Key prefix conventions. `{...}` is a hash tag: every key of one session lands in the same hash slot, so MULTI/EXEC and Lua scripts over them work with cluster mode too."
  value = {
    namespace    = local.ns
    session      = "${local.ns}:sess:{<session_id>}"
    agent_memory = "${local.ns}:mem:{<session_id>}:<agent_or_step>"
    idempotency  = "${local.ns}:idem:{<idempotency_key>}"
    lock         = "${local.ns}:lock:{<resource>}"
    acl_pattern  = "~${local.ns}:*"
  }
}
