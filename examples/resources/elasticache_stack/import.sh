# Import a stack by its name: every component (replication group, security group,
# subnet group, parameter group) is recovered from the replication group.
terraform import elasticache_stack.sessions agent-sessions
