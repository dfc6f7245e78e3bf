# Quickstart: one production-shaped cache for an agent platform's session tier.
# `make demo` applies this against the bundled emulator; against AWS, pass your own
# private subnets and the security group of the application that uses the cache.

terraform {
  required_version = ">= 1.11"
  required_providers {
    elasticache = {
      source  = "cachestack/elasticache"
      version = ">= 0.1.0"
    }
  }
}

provider "elasticache" {
  region = var.region

  default_tags {
    tags = {
      managed-by = "terraform"
      example    = "quickstart"
    }
  }
}

resource "elasticache_stack" "sessions" {
  name = var.name

  network = {
    subnet_ids                 = var.subnet_ids
    allowed_security_group_ids = var.allowed_security_group_ids
  }

  provisioned = {
    node_type          = "cache.r7g.large"
    shards             = 1
    replicas_per_shard = 2
    eviction_policy    = "volatile-lru"
  }

  tags = {
    team = "ai-platform"
  }
}
