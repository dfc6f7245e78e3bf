# Import a stack by its name. Every component is recovered from the cache that carries the
# name (a replication group, a Memcached cluster or a serverless cache): security group,
# subnet group, parameter group and the alarms named elasticache/<name>/...
terraform import elasticache_stack.sessions agent-sessions
