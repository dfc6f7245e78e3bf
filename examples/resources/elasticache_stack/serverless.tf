# A serverless Valkey cache for bursty traffic: it scales by itself up to the usage limits,
# which also cap the bill. Authentication is RBAC only (a user group).
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
  }

  security = {
    user_group_id = "agent-prompt-cache-users"
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
