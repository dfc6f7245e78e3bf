resource "elasticache_stack" "sessions" {
  name           = "agent-sessions"
  engine         = "valkey"
  engine_version = "8.0"

  network = {
    subnet_ids                 = ["subnet-0a1b2c3d", "subnet-0e4f5a6b", "subnet-0c7d8e9f"]
    allowed_security_group_ids = ["sg-0123456789abcdef0"]
    port                       = 6379
  }

  provisioned = {
    node_type               = "cache.r7g.large"
    shards                  = 1
    replicas_per_shard      = 2
    multi_az                = true
    eviction_policy         = "volatile-lru"
    parameters              = { timeout = "300" }
    snapshot_retention_days = 1
    snapshot_window         = "03:00-04:00"
    maintenance_window      = "sun:05:00-sun:06:00"
  }

  security = {
    transit_encryption_mode = "required"
    auth_token_wo           = var.auth_token # write-only: never stored in state or plan
    auth_token_wo_version   = 1              # increase to rotate the token
  }

  tags = {
    team = "ai-platform"
  }

  timeouts = {
    create = "60m"
    update = "40m"
    delete = "45m"
  }
}

variable "auth_token" {
  description = "AUTH token of the cache, 16 to 128 characters; from a secret store, never committed."
  type        = string
  sensitive   = true
  ephemeral   = true # Terraform 1.10+: the value is not kept in the plan or state either
}
