# Against LocalStack or the bundled emulator (make emulator), or any AWS-compatible endpoint.
# AWS_ENDPOINT_URL=http://localhost:4566 does the same without changing the configuration.
provider "elasticache" {
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
