# A Valkey cache in cluster mode: three shards, each with a replica in another zone.
# Clients connect to the configuration endpoint with a cluster-aware client.

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

variable "ops_topic_arn" {
  description = "SNS topic that receives alarm notifications."
  type        = string
  default     = null
}

resource "elasticache_stack" "retrieval" {
  name = "retrieval-cache"

  network = {
    subnet_ids                 = var.subnet_ids
    allowed_security_group_ids = var.allowed_security_group_ids
  }

  provisioned = {
    node_type          = "cache.r7g.xlarge"
    shards             = 3
    replicas_per_shard = 1
    eviction_policy    = "allkeys-lru"
  }

  alarms = {
    alarm_actions = var.ops_topic_arn == null ? [] : [var.ops_topic_arn]
    overrides = {
      hit_rate = { threshold = 70 }
    }
  }
}

output "configuration_endpoint" {
  description = "Configuration endpoint for cluster-aware clients (TLS)."
  value       = elasticache_stack.retrieval.configuration_endpoint
}

output "alarm_names" {
  description = "CloudWatch alarms of the stack, one set per member cluster."
  value       = elasticache_stack.retrieval.alarm_names
}
