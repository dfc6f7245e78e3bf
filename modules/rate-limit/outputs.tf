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
