# Rate-limit tier of a GenAI/agent platform: token-bucket and window counters that guard model
# and tool calls. An evicted counter silently lifts a limit, so the policy never evicts
# (noeviction: a full memory fails writes loudly instead); counters are tiny and live for one
# window, so nodes are small and there are no snapshots; the limiter sits on every request's
# path, so its alarms watch CPU early and command latency directly. The stack itself and every
# check of the inputs are in ../internal/stack; this file fixes what is particular to limits.
# See README.md for the rationale of every default.

locals {
  # What this tier fixes; stack.tf (shared by the tiers) passes it to ../internal/stack.
  tier = {
    name = "rate-limit"
    # Rate-limit keys and the token-bucket script only: read, write and Lua (EVAL/EVALSHA)
    # under the namespace; no admin or keyspace-wide commands.
    users = { app = "on ~{ns}:* -@all +@read +@write +@scripting +@connection -@dangerous" }
    # The only policy accepted: a rate limiter that evicts under memory pressure stops limiting without an
    # error. noeviction turns memory pressure into OOM errors on writes, which the client sees
    # (and fails open or closed on, by its own policy), and the memory alarm fires well before.
    # Serverless caches cannot be set to noeviction, so the limiter always runs on nodes.
    eviction_policies  = ["noeviction"]
    serverless_allowed = false
    # Small non-burstable nodes, one replica to fail over to, no snapshots; checks of ~100 bytes.
    node_type               = "cache.m7g.large"
    replicas_per_shard      = 1
    snapshot_retention_days = 0
    avg_request_kb          = 0.1
    # engine_cpu 60 %: queueing delay on the single engine thread grows as u/(1-u): 1.5x the service
    #   time at 60 %, 2.3x at 70 %; the limiter adds that delay to every request it guards.
    # memory 70 %: with noeviction a full memory fails every INCR; counters are small and expire, so
    #   steady growth means keys written without a TTL; more headroom than the 80 % of other tiers.
    # evictions 0: noeviction never evicts; any eviction means the policy was changed by hand.
    # read_latency, write_latency on (opt-in on nodes): the limiter's own command latency is added
    #   to every request it guards, so it is watched directly, at the provider's 2 ms average
    #   (SuccessfulRead/WriteRequestLatency, published for Valkey and Redis OSS 7+ nodes).
    alarm_overrides = {
      engine_cpu    = { threshold = 60 }
      memory        = { threshold = 70 }
      evictions     = { threshold = 0 }
      read_latency  = { enabled = true }
      write_latency = { enabled = true }
    }
  }

  # No load_pattern or serverless inputs: the limiter always runs on nodes (the stack's defaults).
  load_pattern = null
  serverless   = null

  # No restore_from or preserve_data_on_replace: counters live for one window, so a limiter that
  # starts empty (after a replacement too) only forgets the current window's counts; restoring
  # them would cost a snapshot and minutes of restore for nothing.
  restore_from             = null
  preserve_data_on_replace = false
  keep_preserve_snapshot   = false

  # Regional only: limits are enforced per region (genai-session has `global`).
  global = null
}

