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

# Against LocalStack or the bundled emulator (make emulator), or any AWS-compatible endpoint.
# AWS_ENDPOINT_URL=http://localhost:4566 does the same without changing the configuration.
provider "elasticache" {
  alias                       = "local"
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true

  endpoints {
    elasticache = "http://localhost:4566"
    ec2         = "http://localhost:4566"
    cloudwatch  = "http://localhost:4566"
    sts         = "http://localhost:4566"
  }
}
