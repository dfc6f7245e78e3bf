variable "name" {
  description = "Name of the rate limiter."
  type        = string
  default     = "agent-rate-limits"
}

variable "subnet_ids" {
  description = "Private subnets in at least two Availability Zones."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups of the applications that call the limiter."
  type        = list(string)
}
