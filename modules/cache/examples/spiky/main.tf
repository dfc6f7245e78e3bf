# An LLM-response cache behind a bursty chat front end: load_pattern = "spiky" makes it a
# serverless cache that scales per request. Usage limits cap the bill: at 20 GB, keys with a TTL
# are evicted (least recently used first); above 200,000 ECPU/s requests are throttled, which
# leaves room over the expected peak (2,000 requests/s x 10 x 8 KB = 160,000 ECPU/s). Alarms fire
# at 80 % of both. The expected load compares the bill with nodes sized for the peak.
# Runs against AWS (the provider takes its region and credentials from the environment:
# AWS_REGION, AWS_PROFILE, ...), or the bundled emulator (see ../../../README.md).

module "llm_cache" {
  source = "../.."

  name                       = var.name
  subnet_ids                 = var.subnet_ids
  allowed_security_group_ids = var.allowed_security_group_ids

  load_pattern = "spiky"
  serverless = {
    max_data_storage_gb = 20
    max_ecpu_per_second = 200000
  }

  expected_load = {
    data_gb             = 5
    requests_per_second = 2000
    avg_request_kb      = 8
    peak_to_average     = 10
  }
}
