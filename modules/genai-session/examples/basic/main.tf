# The session tier of an agent platform with the module's defaults (three Valkey nodes: primary
# + 2 replicas in other AZs, volatile-lru, daily snapshots, alarms on any eviction), and sessions
# of agents that may idle for an hour, under the key namespace of the agents service.
# Runs against AWS (the provider takes its region and credentials from the environment:
# AWS_REGION, AWS_PROFILE, ...), or the bundled emulator (see ../../../README.md).

module "sessions" {
  source = "../.."

  name                       = var.name
  subnet_ids                 = var.subnet_ids
  allowed_security_group_ids = var.allowed_security_group_ids

  # The TTL and key prefixes the applications use (the ttl_seconds and key_conventions outputs).
  session_ttl_seconds = 3600
  key_namespace       = "agents"
  tags                = { team = "ai-platform" }
}
