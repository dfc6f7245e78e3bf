variable "prompt_cache_password" {
  description = "Password of the app user of the serverless cache (write-only: never stored)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

# A serverless Valkey cache for bursty traffic: it scales by itself up to the usage limits,
# which also cap the bill. Authentication is RBAC only: the stack creates its users and group.
resource "elasticache_stack" "prompt_cache" {
  name   = "agent-prompt-cache"
  mode   = "serverless"
  engine = "valkey"

  network = {
    subnet_ids                 = ["subnet-0a1b2c3d", "subnet-0e4f5a6b"]
    allowed_security_group_ids = ["sg-0123456789abcdef0"]
  }

  serverless = {
    max_data_storage_gb     = 20
    max_ecpu_per_second     = 50000
    snapshot_retention_days = 0
    # Pre-warming before a launch: capacity ready from the first request, billed as a floor
    # (cost.monthly_usd_min). Remove both after the launch.
    min_ecpu_per_second = 10000
    min_data_storage_gb = 5
  }

  security = {
    users = {
      app = {
        access_string        = "on ~prompt:* +@read +@write"
        passwords_wo         = [var.prompt_cache_password]
        passwords_wo_version = 1
      }
    }
  }

  # Prices ECPUs and storage, and compares serverless with nodes in `recommendations`.
  expected_load = {
    data_gb             = 2
    requests_per_second = 2000
    avg_request_kb      = 2
    pattern             = "spiky"
    peak_to_average     = 10
  }
}
