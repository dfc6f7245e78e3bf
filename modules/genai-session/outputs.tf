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

output "global_datastore_id" {
  description = "Id of the Global Datastore (with `global`): the other region's module joins it with `global = { join = <this> }`. Null in one region."
  value       = module.stack.global_datastore_id
}

output "global_role" {
  description = "`primary` (takes the writes) or `secondary` (read-only) in the Global Datastore; a failover (`global.promote`) changes it. Null in one region."
  value       = module.stack.global_role
}
