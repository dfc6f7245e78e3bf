# What every tier module outputs, computed once; each tier re-exports these with its own wording.

output "stack" {
  description = "The stack's attributes, for the tier modules' outputs and tests; without the write-only AUTH token (always null, but marked sensitive)."
  value = merge(elasticache_stack.this, {
    # Each attribute by name: the users map carries write-only (sensitive) passwords, so the
    # users are reported as the module sends them, without passwords.
    security = {
      transit_encryption_mode = elasticache_stack.this.security.transit_encryption_mode
      kms_key_arn             = elasticache_stack.this.security.kms_key_arn
      auth_token_wo_version   = elasticache_stack.this.security.auth_token_wo_version
      user_group_id           = elasticache_stack.this.security.user_group_id
      users                   = local.users
    }
  })
}

output "engine" {
  description = "Engine and version, e.g. `valkey 8.0`."
  value       = "${elasticache_stack.this.engine} ${elasticache_stack.this.engine_version}"
}

output "endpoint" {
  description = "Where clients connect (TLS required)."
  value       = local.endpoint
}

output "reader_endpoint" {
  description = "Reader endpoint; null with cluster mode and for serverless."
  value       = local.reader
}

output "connection_url" {
  description = "`rediss://<endpoint>:<port>`, without credentials."
  value       = local.endpoint == null ? null : "rediss://${local.endpoint}:${elasticache_stack.this.port}"
}

output "reader_connection_url" {
  description = "`rediss://<reader_endpoint>:<port>`; null with cluster mode and for serverless."
  value       = local.reader == null ? null : "rediss://${local.reader}:${elasticache_stack.this.port}"
}

output "eviction_policy" {
  description = "The tier's policy on nodes; `volatile-lru` for serverless, whose policy is fixed (keys with a TTL, at `max_data_storage_gb`)."
  value       = local.serverless ? "volatile-lru" : local.provisioned.eviction_policy
}

output "key_namespace" {
  description = "Prefix of every key: `key_namespace`, or `name`."
  value       = coalesce(var.key_namespace, var.name)
}

output "global_datastore_id" {
  description = "Id of the Global Datastore the stack is a member of; null for a regional stack."
  value       = elasticache_stack.this.global_datastore_id
}

output "global_role" {
  description = "`primary` or `secondary` in its Global Datastore (a failover changes it); null for a regional stack."
  value       = elasticache_stack.this.global_role
}
