# The rate-limit tier of an agent platform with the module's defaults: two cache.m7g.large
# Valkey nodes (primary + 1 replica in another AZ), noeviction, no snapshots, CPU alarms that
# fire early and read/write latency alarms. Runs against AWS (the provider takes its region and
# credentials from the environment: AWS_REGION, AWS_PROFILE, ...), or the bundled emulator (see
# ../../../README.md).

module "rate_limits" {
  source = "../.."

  name                       = var.name
  subnet_ids                 = var.subnet_ids
  allowed_security_group_ids = var.allowed_security_group_ids

  # Per-minute limits on model and tool calls.
  window_seconds = 60

  # 20,000 rate-limit checks per second of ~100 bytes: prices the limiter and asks whether the
  # nodes are the right size.
  expected_load = {
    data_gb             = 0.5
    requests_per_second = 20000
    avg_request_kb      = 0.1
  }

  tags = {
    team = "ai-platform"
  }
}
