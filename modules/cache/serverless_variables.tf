# tflint-ignore-file: terraform_standard_module_structure
# Inputs of the tiers that may run as a serverless cache (cache and genai-session; the rate-limit
# tier needs noeviction, so nodes). modules/cache holds this file; modules/genai-session links to
# it. Values are checked once, in ../internal/stack.
# (The annotation above: tflint wants variables in variables.tf and outputs in outputs.tf; these
# declarations are shared by the tiers through this one file instead.)

variable "load_pattern" {
  description = "Shape of the load over time: `steady` (nodes, `provisioned`; reserve them) or `spiky` (a serverless cache, `serverless`, which scales per request and bills per GB-hour and ECPU). Changing it replaces the cache."
  type        = string
  default     = "steady"
}

variable "serverless" {
  description = "Usage limits and snapshots of the serverless cache (`load_pattern = \"spiky\"`), each optional: `max_data_storage_gb` (1-5000) and `max_ecpu_per_second` (1000-15000000), null meaning no limit, the bill never exceeds them; `min_data_storage_gb` and `min_ecpu_per_second` (pre-warming before a launch: capacity ready from the first request, billed as a floor, at most the maximums; remove them after); `daily_snapshot_time` (`hh:mm` UTC, default the start of `provisioned.snapshot_window`) and `snapshot_retention_days` (default the provisioned one). At `max_data_storage_gb` keys with a TTL are evicted, least recently used first (so every key should carry one); beyond `max_ecpu_per_second` requests are throttled. A serverless cache authenticates with RBAC only (`security.user_group_id`, no `auth_token`)."
  type        = any
  default     = {}
}

variable "expected_load" {
  description = "What the cache is expected to carry: `data_gb`, `requests_per_second`, `avg_request_kb` (default 1) and, for spiky loads, `peak_to_average`. Sizes the cost estimate and enables the serverless-vs-provisioned and right-size recommendations; `load_pattern` gives the pattern."
  type        = any
  default     = null
}
