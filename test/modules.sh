#!/usr/bin/env bash
# make test-modules (and the last step of make test): tests of the tier modules in modules/,
# against one bundled emulator (cmd/emulator starts it) or ELASTICACHE_TEST_ENDPOINT:
#   1. terraform test in every module (plan-mode assertions, modules/<m>/tests/*.tftest.hcl);
#   2. the Terratest suite in test/ (go test ./... in its own module).
# Their static checks run once, elsewhere: terraform fmt, validate and tflint in make lint
# (scripts/terraform-lint.sh), the README inputs/outputs in make check-generated.
# The provider must be installed in the local mirror first (make install). Terraform runs on a
# copy of modules/ and a snapshot of the mirror, so neither the repository's working files nor a
# concurrent `make install` interfere.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# cmd/emulator, the one launcher, starts the emulator and runs this script again against it
# (EMULATOR_URL, AWS_ENDPOINT_URL, test credentials), unless an endpoint is given.
if [ -z "${ELASTICACHE_TEST_ENDPOINT:-}" ] && [ -z "${EMULATOR_URL:-}" ]; then
  GOFLAGS=-buildvcs=false exec go run ./cmd/emulator exec -- bash "$0" "$@"
fi
started=$(date +%s)

mirror="$root/.build/mirror"
if [ ! -d "$mirror/registry.terraform.io/cachestack/elasticache" ]; then
  echo "test/modules.sh: no provider in $mirror; run make install first" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/module-tests.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A private snapshot of the provider mirror and a CLI config pointing at it.
cp -R "$mirror" "$work/mirror"
bash "$root/scripts/terraformrc.sh" "$work/mirror" "$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1

# A copy of modules/ without Terraform working files.
mkdir -p "$work/modules"
tar -C "$root/modules" --exclude=.terraform --exclude=.terraform.lock.hcl --exclude='terraform.tfstate*' \
  --exclude='*.tfvars' --exclude='*.tfvars.json' -cf - . | tar -C "$work/modules" -xf -

url="${ELASTICACHE_TEST_ENDPOINT:-$EMULATOR_URL}"
export AWS_ENDPOINT_URL="$url" AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
unset AWS_PROFILE AWS_SESSION_TOKEN
echo "==> modules: endpoint $url"

# The tier modules and the internal module they call (modules/internal/<name>).
modules=()
for d in "$work"/modules/*/ "$work"/modules/internal/*/; do
  [ -f "$d/versions.tf" ] || continue
  d=${d%/}
  modules+=("${d#"$work/modules/"}")
done

echo "==> modules: terraform test"
for m in "${modules[@]}"; do
  echo "--- $m"
  terraform -chdir="$work/modules/$m" init -backend=false -input=false -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log" >&2; exit 1; }
  terraform -chdir="$work/modules/$m" test -no-color
done

echo "==> modules: Terratest (test/)"
(cd "$root/test" && TF_ACC=1 ELASTICACHE_TEST_ENDPOINT="$url" go test ./... -count=1 -timeout 30m ${TERRATEST_FLAGS:-})

echo "==> modules: done in $(( $(date +%s) - started )) s"
