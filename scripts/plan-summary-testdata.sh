#!/usr/bin/env bash
# Regenerates cmd/elasticache-plan-summary/testdata: real plans of elasticache_stack against the
# bundled emulator, each saved as `terraform show -json` (show.json) and the `terraform plan
# -json` stream (plan.jsonl, the only place the provider's warnings appear).
#
#   make install && bash scripts/plan-summary-testdata.sh
#
# Scenarios: create, no-changes, scale-up (node type and replicas), mode-switch (provisioned ->
# serverless: replace), destroy, module (tier modules wrapping the stack). The unit tests in
# cmd/elasticache-plan-summary read them; rerun this script when the provider's plan changes,
# then `go test ./cmd/elasticache-plan-summary -update` and review the golden files.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/cmd/elasticache-plan-summary/testdata"
source "$(dirname "$0")/with-emulator.sh" "$@" # sets root, work, root_module; reruns this script under the emulator

# save <scenario> <dir> [plan args...]: plan into testdata/<scenario>/.
save() {
  local scenario=$1 dir=$2; shift 2
  mkdir -p "$out/$scenario"
  terraform -chdir="$dir" plan -input=false -json -out=plan.tfplan "$@" >"$out/$scenario/plan.jsonl"
  terraform -chdir="$dir" show -json plan.tfplan | python3 -m json.tool --indent 1 >"$out/$scenario/show.json"
  echo "==> $scenario: $(grep -c '"type":"diagnostic"' "$out/$scenario/plan.jsonl" || true) diagnostics"
}

# One stack at the root, driven by variables.
stack="$work/stack"
root_module "$stack"
cat >>"$stack/main.tf" <<'HCL'
variable "mode" { default = "provisioned" }
variable "node_type" { default = "cache.r7g.large" }
variable "replicas" { default = 1 }
resource "elasticache_stack" "sessions" {
  name = "sessions"
  mode = var.mode
  network = {
    subnet_ids                 = var.subnet_ids
    allowed_security_group_ids = var.allowed_security_group_ids
  }
  provisioned = var.mode == "provisioned" ? {
    node_type          = var.node_type
    replicas_per_shard = var.replicas
    eviction_policy    = "volatile-lru"
  } : null
  serverless = var.mode == "serverless" ? {
    max_data_storage_gb = 10
  } : null
  tags = { team = "ai-platform" }
}
HCL
terraform -chdir="$stack" init -input=false >/dev/null
save create "$stack"
terraform -chdir="$stack" apply -input=false -auto-approve plan.tfplan >/dev/null
save no-changes "$stack"
save scale-up "$stack" -var node_type=cache.r7g.xlarge -var replicas=2
save mode-switch "$stack" -var mode=serverless
save destroy "$stack" -destroy

# Tier modules (each wraps elasticache_stack) beside a root stack.
mods="$work/modules"
root_module "$mods"
cp -R "$root/modules" "$work/module-sources"
cat >>"$mods/main.tf" <<'HCL'
module "cache" {
  source                     = "../module-sources/cache"
  name                       = "retrieval"
  subnet_ids                 = var.subnet_ids
  allowed_security_group_ids = var.allowed_security_group_ids
}
module "rate_limit" {
  source                     = "../module-sources/rate-limit"
  name                       = "ratelimit"
  subnet_ids                 = var.subnet_ids
  allowed_security_group_ids = var.allowed_security_group_ids
}
HCL
terraform -chdir="$mods" init -input=false >/dev/null
save module "$mods"
echo "testdata written to $out"
