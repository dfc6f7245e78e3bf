output "default_ttl_seconds" {
  description = "TTL for entries that match no row of `ttl_guidance`."
  value       = var.default_ttl_seconds
}

output "ttl_guidance" {
  description = "Recommended TTL per data type (seconds), with the reason and the GenAI data it fits. Every cache entry needs a TTL."
  value       = local.ttl_guidance
}

output "ttl_jitter" {
  description = "How to jitter TTLs: the fraction to add at random and the advice behind it."
  value = {
    percent = var.ttl_jitter_percent
    formula = "ttl_seconds * (1 + random.uniform(0, ${var.ttl_jitter_percent / 100}))"
    advice  = "Add random jitter to every TTL so entries written together (a deploy, a cold start, a batch) do not expire together and stampede the origin. For hot keys also use read-through with a per-key mutex (SET lock NX EX) or single-flight, so one caller refills while the others wait or serve the stale value."
  }
}

output "key_conventions" {
  description = "Key prefix conventions. Version segments (`v<n>`) invalidate a whole class by bumping the version; `{...}` hash tags keep keys read together (MGET) or invalidated together in one slot with cluster mode."
  value = {
    namespace        = local.ns
    prompt_template  = "${local.ns}:prompt:v<template_version>:<template_id>"
    user_profile     = "${local.ns}:profile:{<user_id>}"
    retrieval_result = "${local.ns}:rag:v<index_version>:<sha256(normalized_query)>"
    llm_response     = "${local.ns}:llm:<model>:<sha256(prompt + params)>"
    tag_set          = "${local.ns}:tag:{<tag>} (set of keys to delete together; members need the same hash tag with cluster mode)"
    acl_pattern      = "~${local.ns}:*"
  }
}
