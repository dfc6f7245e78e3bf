# Sourced (not run) by the scripts that plan against the bundled emulator:
#   source "$(dirname "$0")/with-emulator.sh" "$@"
# Without EMULATOR_URL it reruns the calling script under cmd/emulator, the one launcher, which
# starts the emulator (no data plane: plans only), writes the test network's variables, passes
# EMULATOR_URL, AWS_ENDPOINT_URL and test credentials, and stops it afterwards. With
# EMULATOR_URL (an emulator the caller runs, or the rerun) it sets $root, a $work directory
# holding network.auto.tfvars.json (removed on exit), Terraform's CLI environment, and root_module.
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${EMULATOR_URL:-}" ]; then
  WITH_EMULATOR_WORK=$(mktemp -d "${TMPDIR:-/tmp}/$(basename "$0" .sh).XXXXXX")
  export WITH_EMULATOR_WORK
  cd "$root"
  GOFLAGS=-buildvcs=false exec go run ./cmd/emulator exec -data-plane off -log "$WITH_EMULATOR_WORK/emulator.log" \
    -network "$WITH_EMULATOR_WORK/network.auto.tfvars.json" -- bash "$0" "$@"
fi
work=${WITH_EMULATOR_WORK:-$(mktemp -d)}
[ -f "$work/network.auto.tfvars.json" ] || (cd "$root" && go run ./cmd/emulator network >"$work/network.auto.tfvars.json")
trap 'rm -rf "$work"' EXIT
export TF_CLI_CONFIG_FILE="$root/.build/terraformrc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1

# root_module DIR: a root module against the test network in DIR. Its main.tf starts with the
# provider requirement and block and the network variables (subnet_ids,
# allowed_security_group_ids), which network.auto.tfvars.json sets; append the rest with cat >>.
root_module() {
  mkdir -p "$1"
  cp "$work/network.auto.tfvars.json" "$1/"
  cat >"$1/main.tf" <<'HCL'
terraform {
  required_providers {
    elasticache = { source = "cachestack/elasticache" }
  }
}
provider "elasticache" {}
variable "subnet_ids" { type = list(string) }
variable "allowed_security_group_ids" { type = list(string) }
HCL
}
