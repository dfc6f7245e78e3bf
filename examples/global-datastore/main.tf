# A session store that survives the loss of a region: the primary stack in us-east-1 creates a
# Global Datastore, the secondary in us-west-2 joins it and replicates asynchronously.
# Destroy the secondary before the primary (the plan refuses the other order); see the guide
# "Surviving a region" for the failover runbook.

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
  region = "us-east-1"
}

provider "elasticache" {
  alias  = "dr"
  region = "us-west-2"
}

variable "subnet_ids" {
  description = "Private subnets of the primary region, in at least two Availability Zones."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups of the applications in the primary region."
  type        = list(string)
}

variable "dr_subnet_ids" {
  description = "Private subnets of the secondary region."
  type        = list(string)
}

variable "dr_allowed_security_group_ids" {
  description = "Security groups of the applications in the secondary region."
  type        = list(string)
}

variable "promote_dr" {
  description = "Fail the global datastore over to us-west-2 (the runbook's step 2)."
  type        = bool
  default     = false
}

resource "elasticache_stack" "sessions" {
  name   = "agent-sessions"
  global = { role = "primary" }

  network = {
    subnet_ids                 = var.subnet_ids
    allowed_security_group_ids = var.allowed_security_group_ids
  }

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

  network = {
    subnet_ids                 = var.dr_subnet_ids
    allowed_security_group_ids = var.dr_allowed_security_group_ids
  }

  provisioned = {
    replicas_per_shard = 1
  }
}

output "global_datastore_id" {
  value = elasticache_stack.sessions.global_datastore_id
}

output "endpoints" {
  description = "Writers use the primary region's endpoint; readers the nearest."
  value = {
    (elasticache_stack.sessions.global_role)    = elasticache_stack.sessions.endpoint
    (elasticache_stack.sessions_dr.global_role) = elasticache_stack.sessions_dr.endpoint
  }
}
