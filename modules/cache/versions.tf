terraform {
  # 1.11: write-only attributes and ephemeral variables (the AUTH token). The stack is in
  # ../internal/stack; the provider is named here too so that a caller can hand this module
  # another configuration (`providers = { elasticache = elasticache.dr }`: another region, the
  # Global Datastore recipe): without it Terraform reads `elasticache` as hashicorp/elasticache.
  required_version = ">= 1.11.0"

  required_providers {
    # Used through ../internal/stack, which tflint does not follow; the name is needed here (above).
    # tflint-ignore: terraform_unused_required_providers
    elasticache = {
      source  = "cachestack/elasticache"
      version = ">= 0.1.0"
    }
  }
}
