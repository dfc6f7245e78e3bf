# The session tier of an agent platform with the module's defaults: three Valkey nodes
# (primary + 2 replicas in other AZs), volatile-lru, daily snapshots, alarms on any eviction.
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

module "sessions" {
  source = "../.."

  name                       = var.name
  subnet_ids                 = var.subnet_ids
  allowed_security_group_ids = var.allowed_security_group_ids

  tags = {
    team = "ai-platform"
  }
}
