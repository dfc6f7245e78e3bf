output "primary_endpoint" {
  description = "Write endpoint (TLS)."
  value       = elasticache_stack.sessions.primary_endpoint
}

output "reader_endpoint" {
  description = "Read endpoint, balanced over the replicas."
  value       = elasticache_stack.sessions.reader_endpoint
}

output "port" {
  description = "Cache port."
  value       = elasticache_stack.sessions.port
}

output "security_group_id" {
  description = "The cache's security group."
  value       = elasticache_stack.sessions.security_group_id
}

output "member_clusters" {
  description = "Member cache clusters."
  value       = elasticache_stack.sessions.member_clusters
}

output "security_group_rules" {
  description = "Rules of the cache's security group."
  value       = elasticache_stack.sessions.security_group_rules
}

output "alarm_names" {
  description = "CloudWatch alarms of the stack."
  value       = elasticache_stack.sessions.alarm_names
}

output "monthly_cost_usd" {
  description = "Estimated monthly cost, known at plan time."
  value       = elasticache_stack.sessions.cost.monthly_usd
}

output "recommendations" {
  description = "Cost recommendations (reserved nodes, right-sizing, serverless vs nodes)."
  value       = [for r in elasticache_stack.sessions.recommendations : r.summary]
}
