# A hot cache (allkeys-lru) in cluster mode with its alarms sent to an SNS topic, one
# threshold changed and one alarm turned off.
resource "elasticache_stack" "hot_cache" {
  name = "agent-hot-cache"

  network = {
    subnet_ids                 = ["subnet-0a1b2c3d", "subnet-0e4f5a6b", "subnet-0c7d8e9f"]
    allowed_security_group_ids = ["sg-0123456789abcdef0"]
  }

  provisioned = {
    node_type          = "cache.r7g.large"
    shards             = 3 # more than one shard: cluster mode
    replicas_per_shard = 1
    eviction_policy    = "allkeys-lru"
  }

  alarms = {
    alarm_actions = ["arn:aws:sns:us-east-1:123456789012:cache-oncall"]
    ok_actions    = ["arn:aws:sns:us-east-1:123456789012:cache-oncall"]
    overrides = {
      hit_rate = { threshold = 60 } # long-tail keys: page below 60 % hits, not 80 %
      swap     = { enabled = false }
    }
  }

  notification_topic_arn = "arn:aws:sns:us-east-1:123456789012:cache-events"
}
