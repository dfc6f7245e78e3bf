output "sessions" {
  description = "Everything the module outputs: `connection_url` (TLS, no credentials), `reader_connection_url`, `alarm_names`, `ttl_seconds`, `key_conventions`, `cost`, ..."
  value       = module.sessions
}
