#!/usr/bin/env bash
# Builds terraform-elasticache-tiers_<version>.tar.gz: the package a module registry serves as
# cachestack/tiers/elasticache (public registry mirror or private-registry upload).
#
#   bash scripts/module-package.sh <version> <output dir>      (make module-package does this)
#
# Layout, at the archive's root (no wrapping directory; registries and go-getter expect the
# root module there):
#   README.md main.tf variables.tf outputs.tf versions.tf LICENSE   the root module (packaging/module-root)
#   modules/genai-session modules/rate-limit modules/cache          the tier modules
#   modules/<every directory they source by a local path>           e.g. modules/internal/stack
# Local module sources are read from the .tf files at build time, recursively, so whatever the
# tiers share travels with them. Terraform working files (.terraform, lock files, state, tfvars)
# are left out. The archive is reproducible: sorted entries, fixed owner and mtime, gzip -n.
set -euo pipefail
version=${1:?usage: module-package.sh <version> <output dir>}
out_dir=${2:?usage: module-package.sh <version> <output dir>}
root=$(cd "$(dirname "$0")/.." && pwd)
tiers=(genai-session rate-limit cache)

stage=$(mktemp -d "${TMPDIR:-/tmp}/module-package.XXXXXX")
trap 'rm -rf "$stage"' EXIT
chmod 755 "$stage"

# local_sources <module dir>: the directories its .tf files call by a relative source, as paths
# relative to modules/. Examples and tests call the module itself and are not followed.
local_sources() {
  local dir=$1 src
  for src in $(sed -nE 's/^[[:space:]]*source[[:space:]]*=[[:space:]]*"(\.\.?\/[^"]*)".*/\1/p' "$root/modules/$dir"/*.tf); do
    local resolved
    resolved=$(cd "$root/modules/$dir/$src" 2>/dev/null && pwd) || { echo "modules/$dir sources $src, which does not exist" >&2; exit 1; }
    case "$resolved/" in
      "$root/modules/"*) echo "${resolved#"$root/modules/"}" ;;
      *) echo "modules/$dir sources $src, outside modules/: it cannot travel in the package" >&2; exit 1 ;;
    esac
  done
}

declare -A included=()
queue=("${tiers[@]}")
while ((${#queue[@]})); do
  dir=${queue[0]}
  queue=("${queue[@]:1}")
  [[ -n ${included[$dir]:-} ]] && continue
  [[ -d $root/modules/$dir ]] || { echo "module modules/$dir not found" >&2; exit 1; }
  included[$dir]=1
  while read -r dep; do
    [[ -n $dep ]] && queue+=("$dep")
  done < <(local_sources "$dir")
done

cp "$root"/packaging/module-root/*.tf "$root"/packaging/module-root/README.md "$root/LICENSE" "$stage/"
mkdir -p "$stage/modules"
cp "$root/modules/README.md" "$stage/modules/README.md"
for dir in $(printf '%s\n' "${!included[@]}" | sort); do
  mkdir -p "$stage/modules/$dir"
  tar -C "$root/modules/$dir" --exclude=.terraform --exclude=.terraform.lock.hcl --exclude='terraform.tfstate*' \
    --exclude='*.tfvars' --exclude='*.tfvars.json' --exclude='*.tfplan' -cf - . | tar -C "$stage/modules/$dir" -xf -
done

mkdir -p "$out_dir"
rm -f "$out_dir"/terraform-elasticache-tiers_*.tar.gz
archive="$out_dir/terraform-elasticache-tiers_${version}.tar.gz"
tar -C "$stage" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - . | gzip -n -9 >"$archive"
echo "$archive: modules $(printf '%s\n' "${!included[@]}" | sort | tr '\n' ' ')"
