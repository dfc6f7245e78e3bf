output "tier_modules" {
  description = "Registry sources of the tier modules in this package (use them with a version constraint)."
  value = {
    for tier in ["genai-session", "rate-limit", "cache"] :
    tier => "cachestack/tiers/elasticache//modules/${tier}"
  }
}
