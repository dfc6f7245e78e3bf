variable "name" {
  description = "Name of the cache."
  type        = string
  default     = "agent-hot-cache"
}

variable "subnet_ids" {
  description = "Private subnets for the cache nodes, in at least two Availability Zones."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups of the agents and API servers that use the cache."
  type        = list(string)
}
