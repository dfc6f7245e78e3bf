terraform {
  required_version = ">= 1.11" # write-only AUTH token
  required_providers {
    elasticache = {
      source  = "cachestack/elasticache"
      version = "~> 0.1"
    }
  }
}

# Credentials, region and endpoints come from the same places as for hashicorp/aws:
# the provider block, AWS_* environment variables, shared config files and profiles.
provider "elasticache" {
  region = "us-east-1"

  default_tags {
    tags = {
      managed-by = "terraform"
    }
  }
}
