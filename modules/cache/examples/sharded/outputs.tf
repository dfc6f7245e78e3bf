output "retrieval_cache" {
  description = "Everything the module outputs: the configuration `endpoint` for cluster-aware clients, `cluster_mode_enabled`, six `member_clusters` (3 shards x primary + replica), `cost`, `recommendations`, ..."
  value       = module.retrieval_cache
}
