output "cache" {
  description = "Everything the module outputs: `connection_url` (TLS, no credentials), `security_group_id`, `alarm_names`, `ttl_guidance`, `ttl_jitter`, `cost`, ..."
  value       = module.cache
}
