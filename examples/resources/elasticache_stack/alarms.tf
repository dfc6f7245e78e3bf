# A hot cache (allkeys-lru) in cluster mode with its alarms sent to an SNS topic, one
# threshold changed and one alarm turned off. Its replicas follow read load and its shards
# follow memory: AWS adds replicas up to 3 per shard above 60 % replica CPU, and shards up to
# 6 above 65 % memory; cost.monthly_usd_min / monthly_usd_max price the floor and the ceiling.
resource "elasticache_stack" "hot_cache" {
  name = "agent-hot-cache"

  network = {
    subnet_ids                 = ["subnet-0a1b2c3d", "subnet-0e4f5a6b", "subnet-0c7d8e9f"]
    allowed_security_group_ids = ["sg-0123456789abcdef0"]
  }

  provisioned = {
    node_type          = "cache.r7g.large"
    shards             = 3 # more than one shard: cluster mode; the count at creation
    replicas_per_shard = 1 # the count at creation and, without replicas.min, the floor
    eviction_policy    = "allkeys-lru"

    autoscaling = {
      replicas = { max = 3, target_cpu_percent = 60 }
      shards   = { min = 2, max = 6, target_memory_percent = 65 }
    }
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
