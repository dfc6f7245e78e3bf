#!/usr/bin/env bash
# make demo: start the bundled emulator, apply examples/quickstart against it, print the outputs.
# The provider must already be installed in the local mirror (make install does that).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.build/demo"

# cmd/emulator, the one launcher, starts the emulator, writes the example's network variables
# (the default VPC's subnets and a "demo-app" group, as a platform repo would pass its own),
# runs the rest of this script against it (EMULATOR_URL, AWS_ENDPOINT_URL, test credentials)
# and stops it.
if [ -z "${EMULATOR_URL:-}" ]; then
  bash "$root/scripts/engines.sh"
  rm -rf "$work" && mkdir -p "$work"
  cd "$root"
  GOFLAGS=-buildvcs=false exec go run ./cmd/emulator exec -log "$work/emulator.log" \
    -network "$work/terraform.tfvars.json" -app-group demo-app -- bash "$0" "$@"
fi
url=$EMULATOR_URL
echo "==> emulator listening on $url"
echo "==> network: $(tr -d '\n ' <"$work/terraform.tfvars.json")"
cp "$root"/examples/quickstart/*.tf "$work/"
export TF_CLI_CONFIG_FILE="$root/.build/terraformrc"

cd "$work"
terraform init -input=false -no-color >/dev/null
start=$(date +%s.%N)
terraform apply -input=false -auto-approve -no-color | sed -n "/^Plan:/p;/complete/p"
end=$(date +%s.%N)
echo "==> apply took $(python3 -c "print(round($end-$start,1))") s"
echo "==> outputs"
terraform output -no-color
echo "==> a second plan shows no changes:"
terraform plan -input=false -no-color -detailed-exitcode | tail -n 3

# The round trip: connect to the primary endpoint over TLS, trusting the CA this emulator run
# made, as an application would (the quickstart sets no AUTH token: TLS is the credential).
if [ -z "${ELASTICACHE_TEST_CA_FILE:-}" ]; then
  echo "==> no round trip: the emulator runs no engines (scripts/engines.sh installs redis-server and memcached)"
  exit 0
fi
echo "==> round trip over TLS to the primary endpoint"
(cd "$root" && go run ./scripts/roundtrip -addr "$(terraform -chdir="$work" output -raw primary_endpoint)" \
  -port "$(terraform -chdir="$work" output -raw port)" -ca "$ELASTICACHE_TEST_CA_FILE")
