# The hot cache of an agent platform with the module's defaults: two cache.r7g.large Valkey
# nodes (primary + 1 replica in another AZ), allkeys-lru, no snapshots, a hit-rate alarm.
# Runs against AWS (the provider takes its region and credentials from the environment:
# AWS_REGION, AWS_PROFILE, ...), or the bundled emulator (see ../../../README.md).

module "cache" {
  source = "../.."

  name                       = var.name
  subnet_ids                 = var.subnet_ids
  allowed_security_group_ids = var.allowed_security_group_ids

  tags = {
    team = "ai-platform"
  }
}
