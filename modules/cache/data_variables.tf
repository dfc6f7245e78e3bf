# tflint-ignore-file: terraform_standard_module_structure
# Inputs of the tiers whose data is worth restoring and keeping (cache and genai-session; the
# rate-limit tier's counters live for one window, so it starts empty). modules/cache holds this
# file; modules/genai-session links to it. Values are checked once, in ../internal/stack.
# (The annotation above: tflint wants variables in variables.tf; these declarations are shared by
# the tiers through this one file instead.)

variable "restore_from" {
  description = "Data the cache starts from, read when it is created only (a later change restores nothing and replaces nothing; the plan says so). One of: `snapshot_name` (an ElastiCache snapshot, on nodes), `rdb_s3_arns` (RDB files in S3 that ElastiCache may read, on nodes), `snapshot_arns` (snapshot ARNs, for a serverless cache, `load_pattern = \"spiky\"`). Null starts empty. Which snapshots restore into which kind of cache: the provider's guide *Restoring and keeping data*."
  type        = any
  default     = null
}

variable "preserve_data_on_replace" {
  description = "When a change replaces the cache (`name`, `port`, `security.kms_key_arn`, `load_pattern`, an engine downgrade), snapshot the old cache before deleting it and restore the snapshot `<name>-preserve` into the new one, so the entries survive; an interrupted apply finishes on the next one. A replacement AWS cannot restore across fails at plan."
  type        = bool
  default     = false
  nullable    = false
}

variable "keep_preserve_snapshot" {
  description = "Keep the snapshot of a preserving replacement after the restore (it is deleted by default); the next preserving replacement replaces it. Only with `preserve_data_on_replace`."
  type        = bool
  default     = false
  nullable    = false
}

locals {
  # What stack.tf (shared with the rate-limit tier, which sets these in its main.tf) passes on.
  restore_from             = var.restore_from
  preserve_data_on_replace = var.preserve_data_on_replace
  keep_preserve_snapshot   = var.keep_preserve_snapshot
}
