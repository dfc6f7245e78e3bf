terraform {
  # 1.11: write-only attributes and ephemeral variables (the AUTH token). The provider
  # (cachestack/elasticache) is required by ../internal/stack, where the stack is.
  required_version = ">= 1.11.0"
}
