# A dual-stack cache in a change-controlled fleet: reachable over IPv4 and IPv6, the shared
# monitoring group attached beside the stack's own, each shard's primary pinned to one zone,
# and minor engine upgrades only when engine_version says so.
resource "elasticache_stack" "fleet_sessions" {
  name = "fleet-sessions"

  network = {
    # Dual-stack subnets: each has an IPv4 and an IPv6 CIDR block (checked at plan).
    subnet_ids                 = ["subnet-0a1b2c3d", "subnet-0e4f5a6b"]
    allowed_security_group_ids = ["sg-0123456789abcdef0"]

    # Owned by the platform team; the stack attaches it and never edits its rules.
    additional_security_group_ids = ["sg-0fedcba9876543210"]

    type         = "dual_stack"
    ip_discovery = "ipv6" # cluster discovery advertises IPv6 addresses; changes in place
  }

  provisioned = {
    node_type          = "cache.r7g.large"
    replicas_per_shard = 1
    # Primary first, then the replica; zones of network.subnet_ids. Used at creation.
    preferred_availability_zones = ["eu-west-1a", "eu-west-1b"]
    auto_minor_version_upgrade   = false
  }
}
