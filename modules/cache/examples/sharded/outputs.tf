output "endpoint" {
  description = "Configuration endpoint for cluster-aware clients."
  value       = module.retrieval_cache.endpoint
}

output "connection_url" {
  description = "Connection URL (TLS, cluster mode, no credentials)."
  value       = module.retrieval_cache.connection_url
}

output "cluster_mode_enabled" {
  description = "Cluster mode is on with more than one shard."
  value       = module.retrieval_cache.cluster_mode_enabled
}

output "member_clusters" {
  description = "One cache cluster per node: 3 shards x (primary + replica)."
  value       = module.retrieval_cache.member_clusters
}

output "monthly_cost_usd" {
  description = "Estimated monthly cost."
  value       = module.retrieval_cache.cost.monthly_usd
}

output "recommendations" {
  description = "Ways to pay less."
  value       = [for r in module.retrieval_cache.recommendations : "${r.kind}: ${r.summary}"]
}
