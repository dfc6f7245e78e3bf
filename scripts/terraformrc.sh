#!/usr/bin/env bash
# Writes the Terraform CLI configuration that installs cachestack/elasticache from a filesystem
# mirror and every other provider as usual. This is the one place it is written: make install
# (.build/terraformrc), make lint (scripts/terraform-lint.sh), the module tests (test/modules.sh)
# and the benchmark (internal/bench) call it.
#   usage: scripts/terraformrc.sh MIRROR_DIR OUTPUT_FILE
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 MIRROR_DIR OUTPUT_FILE" >&2; exit 2; }
mirror=$1 out=$2
mkdir -p "$(dirname "$out")"
cat >"$out" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/cachestack/elasticache"]
  }
  direct {
    exclude = ["registry.terraform.io/cachestack/elasticache"]
  }
}
EOF
