output "connection_url" {
  description = "Where the agents connect (TLS, no credentials in the URL)."
  value       = module.sessions.connection_url
}

output "reader_connection_url" {
  description = "Replica reads."
  value       = module.sessions.reader_connection_url
}

output "security_group_id" {
  description = "The store's security group."
  value       = module.sessions.security_group_id
}

output "alarm_names" {
  description = "CloudWatch alarms of the store."
  value       = module.sessions.alarm_names
}

output "session_ttl_seconds" {
  description = "TTL to set (and renew on access) on every session key."
  value       = module.sessions.session_ttl_seconds
}

output "key_conventions" {
  description = "Key prefixes the applications should use."
  value       = module.sessions.key_conventions
}

output "monthly_cost_usd" {
  description = "Estimated monthly cost."
  value       = module.sessions.cost.monthly_usd
}
