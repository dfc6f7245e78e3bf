# A Memcached cluster for a plain look-aside cache: nodes spread over the subnets' zones,
# clients find them through the configuration endpoint (auto discovery). Memcached has no
# replication, snapshots or AUTH; use Valkey where you need them.

terraform {
  required_version = ">= 1.11"
  required_providers {
    elasticache = {
      source  = "cachestack/elasticache"
      version = ">= 0.1.0"
    }
  }
}

variable "subnet_ids" {
  description = "Private subnets, in at least two Availability Zones."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups of the applications that may connect."
  type        = list(string)
}

resource "elasticache_stack" "pages" {
  name   = "page-cache"
  engine = "memcached"

  network = {
    subnet_ids                 = var.subnet_ids
    allowed_security_group_ids = var.allowed_security_group_ids
  }

  provisioned = {
    node_type = "cache.m7g.large"
    num_nodes = 3
  }
}

output "configuration_endpoint" {
  description = "Configuration endpoint for Memcached auto-discovery clients (TLS)."
  value       = elasticache_stack.pages.configuration_endpoint
}
