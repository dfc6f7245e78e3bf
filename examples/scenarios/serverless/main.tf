# A serverless Valkey cache for a spiky workload: it scales by itself within the usage limits,
# which also cap the bill. Authentication is RBAC through a user group.

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

resource "elasticache_stack" "prompts" {
  name   = "prompt-cache"
  mode   = "serverless"
  engine = "valkey"

  network = {
    subnet_ids                 = var.subnet_ids
    allowed_security_group_ids = var.allowed_security_group_ids
  }

  serverless = {
    max_data_storage_gb     = 10
    max_ecpu_per_second     = 5000
    daily_snapshot_time     = "04:00"
    snapshot_retention_days = 1
  }

  expected_load = {
    data_gb             = 4
    requests_per_second = 300
    avg_request_kb      = 2
    pattern             = "spiky"
    peak_to_average     = 8
  }
}

output "endpoint" {
  description = "Endpoint of the serverless cache (TLS)."
  value       = elasticache_stack.prompts.endpoint
}

output "monthly_cost_usd" {
  description = "Estimated monthly cost, known at plan time."
  value       = elasticache_stack.prompts.cost.monthly_usd
}
