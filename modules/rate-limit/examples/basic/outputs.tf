output "connection_url" {
  description = "Where the gateways connect (TLS, no credentials in the URL)."
  value       = module.rate_limits.connection_url
}

output "security_group_id" {
  description = "The limiter's security group."
  value       = module.rate_limits.security_group_id
}

output "alarm_names" {
  description = "CloudWatch alarms of the limiter."
  value       = module.rate_limits.alarm_names
}

output "ttl_seconds" {
  description = "TTL to set on each kind of counter."
  value       = module.rate_limits.ttl_seconds
}

output "key_conventions" {
  description = "Key prefixes the gateways should use."
  value       = module.rate_limits.key_conventions
}

output "monthly_cost_usd" {
  description = "Estimated monthly cost."
  value       = module.rate_limits.cost.monthly_usd
}

output "recommendations" {
  description = "Ways to pay less."
  value       = [for r in module.rate_limits.recommendations : "${r.kind}: ${r.summary}"]
}
