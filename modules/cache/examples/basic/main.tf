# The hot cache of an agent platform with the module's defaults: two cache.r7g.large Valkey
# nodes (primary + 1 replica in another AZ), allkeys-lru, no snapshots, a hit-rate alarm.
# Runs against AWS, or the bundled emulator (see README.md).

terraform {
  required_version = ">= 1.11.0"

  required_providers {
    elasticache = {
      source  = "cachestack/elasticache"
      version = ">= 0.1.0"
    }
  }
}

provider "elasticache" {
  region = var.region
}

module "cache" {
  source = "../.."

  name                       = var.name
  subnet_ids                 = var.subnet_ids
  allowed_security_group_ids = var.allowed_security_group_ids

  tags = {
    team = "ai-platform"
  }
}
