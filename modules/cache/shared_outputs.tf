# tflint-ignore-file: terraform_standard_module_structure
# Outputs every tier module gives with the same meaning, read from ../internal/stack.
# modules/cache holds this file; modules/genai-session and modules/rate-limit link to it, so one
# definition serves the three tiers. What differs by tier (key_conventions and
# the tier's own outputs) stays in each tier's outputs.tf.
# (The annotation above: tflint wants variables in variables.tf and outputs in outputs.tf; these
# declarations are shared by the tiers through this one file instead.)

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

output "engine" {
  description = "Engine and version the cache runs, e.g. `valkey 8.0`."
  value       = module.stack.engine
}

output "endpoint" {
  description = "Where clients connect: the primary endpoint, the configuration endpoint with cluster mode (shards > 1; use a cluster-aware client), or the serverless endpoint. TLS is required."
  value       = module.stack.endpoint
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

output "alarm_names" {
  description = "Names of the CloudWatch alarms, all under `elasticache/<name>/`."
  value       = local.stack.alarm_names
}

output "cost" {
  description = "Estimated cost, known at plan time: `hourly_usd`, `monthly_usd` (730 h), `breakdown` (nodes, storage, ecpu, backups, and cross_region_replication, 0 in a tier: no Global Datastore), `source` of the prices and their date `as_of`. Data transfer is not included."
  value       = local.stack.cost
}

output "recommendations" {
  description = "Ways to pay less: `reserved_nodes`, `serverless`/`provisioned` (with `expected_load`) and `right_size`, each `{ kind, summary, monthly_savings_usd }`. For the rate-limit tier a `serverless` recommendation is about price only: the limiter stays on nodes for noeviction."
  value       = local.stack.recommendations
}

output "mode" {
  description = "Deployment mode: `provisioned` (nodes), or `serverless` when `load_pattern = \"spiky\"` (the rate-limit tier has no `load_pattern` and always runs on nodes: serverless caches cannot be set to noeviction)."
  value       = local.stack.mode
}

output "reader_endpoint" {
  description = "Reader endpoint, balanced over the replicas; null with cluster mode (cluster-aware clients read replicas themselves) and for serverless. Replica reads may lag writes by up to the replication lag: read what must be current (a session just written, a rate-limit counter) from `endpoint`."
  value       = module.stack.reader_endpoint
}

output "eviction_policy" {
  description = "The cache's eviction policy (`maxmemory-policy`), the tier's: `provisioned.eviction_policy` on nodes (cache: `allkeys-lru` by default, or `allkeys-lfu`; genai-session: `volatile-lru`, only keys with a TTL are evicted; rate-limit: `noeviction`, a full memory fails writes instead); `volatile-lru` for serverless, whose policy is fixed (keys with a TTL, at `max_data_storage_gb`)."
  value       = module.stack.eviction_policy
}
