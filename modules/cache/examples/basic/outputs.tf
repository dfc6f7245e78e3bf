output "connection_url" {
  description = "Where the services connect (TLS, no credentials in the URL)."
  value       = module.cache.connection_url
}

output "security_group_id" {
  description = "The cache's security group."
  value       = module.cache.security_group_id
}

output "alarm_names" {
  description = "CloudWatch alarms of the cache."
  value       = module.cache.alarm_names
}

output "ttl_guidance" {
  description = "TTL per data type."
  value       = module.cache.ttl_guidance
}

output "ttl_jitter" {
  description = "How to jitter TTLs."
  value       = module.cache.ttl_jitter
}

output "monthly_cost_usd" {
  description = "Estimated monthly cost."
  value       = module.cache.cost.monthly_usd
}
