variable "name" {
  description = "Name of the cache."
  type        = string
  default     = "retrieval-cache"
}

variable "subnet_ids" {
  description = "Private subnets for the six nodes, in at least two Availability Zones."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups of the retrieval services that read and write the cache."
  type        = list(string)
}
