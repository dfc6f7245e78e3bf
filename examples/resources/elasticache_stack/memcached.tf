# A node-based Memcached cluster: three nodes spread over the subnets' Availability Zones,
# TLS in transit. Memcached has no replication, snapshots, AUTH or eviction policy to set.
resource "elasticache_stack" "lookups" {
  name   = "agent-lookups"
  engine = "memcached"

  network = {
    subnet_ids                 = ["subnet-0a1b2c3d", "subnet-0e4f5a6b", "subnet-0c7d8e9f"]
    allowed_security_group_ids = ["sg-0123456789abcdef0"]
  }

  provisioned = {
    node_type = "cache.m7g.large"
    num_nodes = 3
  }
}
