#!/usr/bin/env bash
# Terraform checks of make lint: terraform validate and tflint of every module, module example
# and example directory. Each runs in a temporary copy (no .terraform or lock files in the tree)
# against a snapshot of the local provider mirror (make install builds it). Docs snippets under
# examples/resources and examples/data-sources carry no terraform block of their own: the copy
# gets one, as a user's configuration would have. bin/tflint comes from make tools.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mirror="$root/.build/mirror"
[ -d "$mirror" ] || { echo "scripts/terraform-lint.sh: no provider in $mirror; run make install first" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tf-lint.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R "$mirror" "$work/mirror"
bash "$root/scripts/terraformrc.sh" "$work/mirror" "$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
for tree in modules examples; do
  mkdir -p "$work/$tree"
  tar -C "$tree" --exclude=.terraform --exclude=.terraform.lock.hcl --exclude='terraform.tfstate*' \
    --exclude='*.tfvars' --exclude='*.tfvars.json' -cf - . | tar -C "$work/$tree" -xf -
done

dirs=$(cd "$work" && find modules examples -name '*.tf' -not -path '*/.terraform/*' -printf '%h\n' | sort -u)
for dir in $dirs; do
  d="$work/$dir"
  if ! grep -qs '^terraform {' "$d"/*.tf; then
    printf 'terraform {\n  required_version = ">= 1.11.0"\n  required_providers {\n    elasticache = {\n      source  = "cachestack/elasticache"\n      version = ">= 0.1.0"\n    }\n  }\n}\n' >"$d/zz_lint_versions.tf"
  fi
  case "$dir" in modules/*) config="$root/modules/.tflint.hcl" ;; *) config="$root/examples/.tflint.hcl" ;; esac
  printf '  %-40s ' "$dir"
  terraform -chdir="$d" init -backend=false -input=false -no-color >"$work/init.log" 2>&1 || { echo; cat "$work/init.log" >&2; exit 1; }
  terraform -chdir="$d" validate -no-color | tr -d '\n'
  "$root/bin/tflint" --chdir="$d" --config="$config" --no-color
  echo "; tflint ok"
done
