terraform {
  required_version = ">= 1.11.0"

  required_providers {
    elasticache = {
      source  = "cachestack/elasticache"
      version = ">= 0.1.0"
    }
  }
}
