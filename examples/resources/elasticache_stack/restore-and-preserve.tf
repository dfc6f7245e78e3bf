# Agent memory that outlives its cache: the stack starts from last night's snapshot, and a
# change that replaces it (here, moving to another port) snapshots the old cache and restores
# it into the new one instead of losing every key.
resource "elasticache_stack" "agent_memory" {
  name = "agent-memory"

  # Read when the cache is created only; a later change is ignored (the plan says so).
  restore_from = {
    snapshot_name = "agent-memory-nightly"
  }

  # A replacement goes through the snapshot `agent-memory-preserve`, deleted after the restore.
  preserve_data_on_replace = true

  network = {
    subnet_ids                 = ["subnet-0a1b2c3d", "subnet-0e4f5a6b"]
    allowed_security_group_ids = ["sg-0123456789abcdef0"]
  }

  provisioned = {
    node_type          = "cache.r7g.large"
    replicas_per_shard = 1
    # A copy when the stack is destroyed.
    final_snapshot_name = "agent-memory-final"
  }
}
