variable "name" {
  description = "Name of the cache."
  type        = string
  default     = "llm-response-cache"
}

variable "subnet_ids" {
  description = "Private subnets for the serverless cache endpoints, in at least two Availability Zones."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups of the chat front end that caches model responses."
  type        = list(string)
}
