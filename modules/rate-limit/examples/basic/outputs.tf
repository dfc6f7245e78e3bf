output "rate_limits" {
  description = "Everything the module outputs: `connection_url` for the gateways, `alarm_names`, `ttl_seconds` per kind of counter, `key_conventions`, `cost`, `recommendations`, ..."
  value       = module.rate_limits
}
