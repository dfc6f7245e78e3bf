package stack_test

import (
	"testing"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// TestAccValidateWithUnknownBlocks: modules choose blocks with `cond ? {...} : null`, which
// `terraform validate` sees as wholly unknown objects; validation must wait for them, not fail.
func TestAccValidateWithUnknownBlocks(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	w := acctest.NewWorkdir(t, map[string]string{"versions.tf": requiredProviders, "main.tf": `
variable "spiky" { type = bool }
variable "subnets" { type = list(string) }
resource "elasticache_stack" "x" {
  name          = "x"
  mode          = var.spiky ? "serverless" : "provisioned"
  network       = { subnet_ids = var.subnets }
  provisioned   = var.spiky ? null : { node_type = "cache.r7g.large" }
  serverless    = var.spiky ? { max_data_storage_gb = 10 } : null
  expected_load = var.spiky ? { data_gb = 1, requests_per_second = 10 } : null
}
data "elasticache_cost_estimate" "c" {
  mode              = var.spiky ? "serverless" : "provisioned"
  node_type         = "cache.r7g.large"
  serverless_limits = var.spiky ? { max_data_gb = 10 } : null
}
`})
	w.Must("validate", "-no-color")
}
