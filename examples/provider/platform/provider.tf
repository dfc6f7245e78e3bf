# A platform repository's provider block, carried over from hashicorp/aws: CI signs in with
# OIDC, assumes the deployment role, refuses any account but production, and leaves the tags
# that AWS Organizations tag policies add to Organizations.
provider "elasticache" {
  region              = "eu-west-1"
  allowed_account_ids = ["123456789012"]

  assume_role_with_web_identity {
    role_arn                = "arn:aws:iam::123456789012:role/github-actions"
    web_identity_token_file = "/tmp/web-identity-token"
  }

  assume_role {
    role_arn        = "arn:aws:iam::123456789012:role/cache-deployer"
    source_identity = "platform-ci"
    tags = {
      project = "genai"
    }
    transitive_tag_keys = ["project"]
  }

  ignore_tags {
    key_prefixes = ["org:", "aws:"]
    keys         = ["CostCenter"]
  }

  default_tags {
    tags = {
      team = "ai-platform"
    }
  }
}
