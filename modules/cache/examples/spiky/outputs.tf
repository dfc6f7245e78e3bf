output "connection_url" {
  description = "Where the chat services connect (TLS, no credentials in the URL)."
  value       = module.llm_cache.connection_url
}

output "mode" {
  description = "serverless"
  value       = module.llm_cache.mode
}

output "alarm_names" {
  description = "Alarms: throttling, latency, hit rate, 80 % of each usage limit."
  value       = module.llm_cache.alarm_names
}

output "monthly_cost_usd" {
  description = "Estimated monthly cost of the serverless cache for the expected load."
  value       = module.llm_cache.cost.monthly_usd
}

output "recommendations" {
  description = "Serverless or nodes for this load, and what each costs."
  value       = [for r in module.llm_cache.recommendations : "${r.kind}: ${r.summary}"]
}
