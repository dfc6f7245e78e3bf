# A session store that survives the loss of a region: the primary stack in us-east-1 creates a
# Global Datastore, the secondary in us-west-2 joins it and replicates asynchronously.
# Destroy the secondary before the primary (the plan refuses the other order); see the guide
# "Surviving a region" for the failover runbook.

terraform {
  required_version = ">= 1.11"
  required_providers {
    elasticache = { source = "cachestack/elasticache", version = ">= 0.1.0" }
  }
}

# One provider configuration per region: Terraform runs each as its own provider instance.
provider "elasticache" {
  region = "us-east-1"
}

provider "elasticache" {
  alias  = "dr"
  region = "us-west-2"
}

variable "network" {
  description = "Primary region (us-east-1): private subnets in two or more zones, and the application security groups that connect."
  type        = object({ subnet_ids = list(string), allowed_security_group_ids = list(string) })
}

variable "dr_network" {
  description = "The same for the secondary region (us-west-2)."
  type        = object({ subnet_ids = list(string), allowed_security_group_ids = list(string) })
}

variable "promote_dr" {
  description = "Fail the global datastore over to us-west-2 (the runbook's step 2)."
  type        = bool
  default     = false
}

resource "elasticache_stack" "sessions" {
  name   = "agent-sessions"
  global = { role = "primary" }

  network = var.network

  # Global Datastore runs on the m5/m6g/m7g/r5/r6g/r6gd/r7g/c7gn families, size large and up.
  provisioned = {
    node_type          = "cache.r7g.large"
    replicas_per_shard = 1
    eviction_policy    = "volatile-lru"
  }
}

resource "elasticache_stack" "sessions_dr" {
  provider = elasticache.dr
  name     = "agent-sessions"

  # Engine, version, node type, shards and parameters come from the global datastore.
  global = {
    join    = elasticache_stack.sessions.global_datastore_id
    promote = var.promote_dr
  }

  network = var.dr_network

  provisioned = {
    replicas_per_shard = 1
  }
}

output "global_datastore_id" {
  description = "The global datastore (AWS's us-east-1 prefix and the stack name)."
  value       = elasticache_stack.sessions.global_datastore_id
}

output "endpoints" {
  description = "Writers use the primary region's endpoint; readers the nearest."
  value = {
    (elasticache_stack.sessions.global_role)    = elasticache_stack.sessions.endpoint
    (elasticache_stack.sessions_dr.global_role) = elasticache_stack.sessions_dr.endpoint
  }
}
