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
  description = "Engine and version the cache runs, e.g. `valkey 8.0`."
  value       = module.stack.engine
}

output "endpoint" {
  description = "Where clients connect: the primary endpoint, the configuration endpoint with cluster mode (shards > 1; use a cluster-aware client), or the serverless endpoint. TLS is required."
  value       = module.stack.endpoint
}

output "reader_endpoint" {
  description = "Reader endpoint, balanced over the replicas; null with cluster mode (cluster-aware clients read replicas themselves) and for serverless. Replica reads may lag writes by up to the replication lag, which a cache usually tolerates."
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
  description = "ID of the cache's security group; it admits `allowed_security_group_ids` and `allowed_cidr_blocks` on `port` only."
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
  description = "VPC of the cache."
  value       = local.stack.vpc_id
}

output "member_clusters" {
  description = "IDs of the member cache clusters (one per node); empty for serverless."
  value       = local.stack.member_clusters
}

output "eviction_policy" {
  description = "The cache's eviction policy: `provisioned.eviction_policy` (`allkeys-lru` by default, any key may be evicted to make room) on nodes; `volatile-lru` for serverless, whose policy is fixed (keys with a TTL, at `max_data_storage_gb`)."
  value       = module.stack.eviction_policy
}

output "alarm_names" {
  description = "Names of the CloudWatch alarms, all under `elasticache/<name>/`; include a hit-rate alarm per node."
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

output "default_ttl_seconds" {
  description = "TTL for entries that match no row of `ttl_guidance`."
  value       = var.default_ttl_seconds
}

output "ttl_guidance" {
  description = "Recommended TTL per data type (seconds), with the reason and the GenAI data it fits. Every cache entry needs a TTL."
  value       = local.ttl_guidance
}

output "ttl_jitter" {
  description = "How to jitter TTLs: the fraction to add at random and the advice behind it."
  value = {
    percent = var.ttl_jitter_percent
    formula = "ttl_seconds * (1 + random.uniform(0, ${var.ttl_jitter_percent / 100}))"
    advice  = "Add random jitter to every TTL so entries written together (a deploy, a cold start, a batch) do not expire together and stampede the origin. For hot keys also use read-through with a per-key mutex (SET lock NX EX) or single-flight, so one caller refills while the others wait or serve the stale value."
  }
}

output "key_conventions" {
  description = "Key prefix conventions. Version segments (`v<n>`) invalidate a whole class by bumping the version; `{...}` hash tags keep keys read together (MGET) or invalidated together in one slot with cluster mode."
  value = {
    namespace        = local.ns
    prompt_template  = "${local.ns}:prompt:v<template_version>:<template_id>"
    user_profile     = "${local.ns}:profile:{<user_id>}"
    retrieval_result = "${local.ns}:rag:v<index_version>:<sha256(normalized_query)>"
    llm_response     = "${local.ns}:llm:<model>:<sha256(prompt + params)>"
    tag_set          = "${local.ns}:tag:{<tag>} (set of keys to delete together; members need the same hash tag with cluster mode)"
    acl_pattern      = "~${local.ns}:*"
  }
}
