variable "region" {
  description = "AWS region of the cache."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of the cache."
  type        = string
  default     = "llm-response-cache"
}

variable "subnet_ids" {
  description = "Private subnets in at least two Availability Zones."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups of the applications that use the cache."
  type        = list(string)
}
