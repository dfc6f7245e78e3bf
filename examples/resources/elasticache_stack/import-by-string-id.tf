# Adopt an existing stack (or a replication group built with hashicorp/aws resources) by its
# name; every component is recovered from the cache. See the "Importing existing clusters" guide.
import {
  to = elasticache_stack.sessions
  id = "agent-sessions"
}
