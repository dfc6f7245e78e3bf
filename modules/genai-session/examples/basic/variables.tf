variable "name" {
  description = "Name of the session store."
  type        = string
  default     = "agent-sessions"
}

variable "subnet_ids" {
  description = "Private subnets in at least two Availability Zones."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups of the applications that use the store."
  type        = list(string)
}
