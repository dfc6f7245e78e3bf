variable "region" {
  description = "AWS region of the cache."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of the stack."
  type        = string
  default     = "agent-sessions"
}

variable "subnet_ids" {
  description = "Private subnets for the cache nodes, in at least two Availability Zones."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups of the applications that may connect."
  type        = list(string)
}
