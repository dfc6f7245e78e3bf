terraform {
  # What every module of the package needs, so packaging/module-root/versions.tf (the registry
  # package's root module) links to this file. 1.11: write-only attributes (the AUTH token never
  # reaches state) and ephemeral variables; validations that read other variables need 1.9.
  required_version = ">= 1.11.0"

  required_providers {
    elasticache = {
      source  = "cachestack/elasticache"
      version = ">= 0.1.0"
    }
  }
}
