output "llm_cache" {
  description = "Everything the module outputs: `mode` (serverless), `alarm_names` (throttling, latency, hit rate, 80 % of each usage limit), `cost` of the serverless cache for the expected load, and `recommendations` comparing it with nodes."
  value       = module.llm_cache
}
