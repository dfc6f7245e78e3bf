#!/usr/bin/env bash
# make demo: start the bundled emulator, apply examples/quickstart against it, print the outputs.
# The provider must already be installed in the local mirror (make install does that).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.build/demo"
rm -rf "$work" && mkdir -p "$work"
cp "$root"/examples/quickstart/*.tf "$work/"
export TF_CLI_CONFIG_FILE="$root/.build/terraformrc"
bash "$root/scripts/engines.sh"

log="$work/emulator.log"
python3 "$root/test/emulator/emulator.py" --host 127.0.0.1 --port 0 >"$work/emulator.out" 2>"$log" &
emulator_pid=$!
trap 'kill $emulator_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  grep -q EMULATOR_READY "$work/emulator.out" 2>/dev/null && break
  kill -0 $emulator_pid 2>/dev/null || { echo "emulator failed to start:"; cat "$log"; exit 1; }
  sleep 0.1
done
url=$(awk '/EMULATOR_READY/ {print $2}' "$work/emulator.out")
[ -n "$url" ] || { echo "emulator did not report ready"; cat "$log"; exit 1; }
echo "==> emulator listening on $url"

export AWS_ENDPOINT_URL="$url" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN

# The example needs subnets and an application security group: take the emulator's default
# VPC subnets and create an "app" group, as a platform repo would pass its own.
python3 "$root/scripts/demo_network.py" "$url" >"$work/terraform.tfvars.json"
echo "==> network: $(tr -d '\n' <"$work/terraform.tfvars.json")"

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
dataplane=$(python3 -c 'import sys,urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' "$url/_emulator/dataplane")
if [ "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["enabled"])' <<<"$dataplane")" != True ]; then
  echo "==> no round trip: emulator data plane $(python3 -c 'import json,sys; print(json.load(sys.stdin)["reason"])' <<<"$dataplane")"
  exit 0
fi
export ELASTICACHE_TEST_CA_FILE=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["ca_file"])' <<<"$dataplane")
echo "==> round trip over TLS to the primary endpoint"
(cd "$root" && go run ./scripts/roundtrip -addr "$(terraform -chdir="$work" output -raw primary_endpoint)" \
  -port "$(terraform -chdir="$work" output -raw port)" -ca "$ELASTICACHE_TEST_CA_FILE")
