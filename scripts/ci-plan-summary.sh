#!/usr/bin/env bash
# Runs the `run:` steps of examples/ci/github-actions.yml (Plan, Summarise, Post or update the
# PR comment) as written, against the bundled emulator, for three pushes to one pull request:
# a new stack, a node type change, then no change. GitHub is played by a stand-in `gh` that
# keeps the pull request's comments in a file. Checks that exactly one comment exists and that
# it says what each push changes. make test runs it; needs make install first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
workflow="$root/examples/ci/github-actions.yml"
source "$(dirname "$0")/with-emulator.sh" "$@" # sets root, work, root_module; reruns this script under the emulator

# The platform repository's infra/: one stack whose node type a push changes.
infra="$work/repo/infra"
root_module "$infra"
cat >>"$infra/main.tf" <<'HCL'
variable "node_type" { default = "cache.r7g.large" }
resource "elasticache_stack" "sessions" {
  name = "ci-sessions"
  network = {
    subnet_ids                 = var.subnet_ids
    allowed_security_group_ids = var.allowed_security_group_ids
  }
  provisioned = {
    node_type          = var.node_type
    replicas_per_shard = 1
  }
}
HCL

# The summary command built from this tree stands in for the workflow's pinned `go run ...@v`.
(cd "$root" && go build -o "$work/bin/elasticache-plan-summary" ./cmd/elasticache-plan-summary)

# A stand-in for the GitHub CLI: the pull request's comments live in $GH_FAKE_STATE.
cat >"$work/bin/gh" <<'PY'
#!/usr/bin/env python3
import json, os, re, sys
state_file = os.environ["GH_FAKE_STATE"]
comments = json.load(open(state_file)) if os.path.exists(state_file) else []
args = sys.argv[1:]
assert args[0] == "api", args
method, path, body, jq = "GET", None, None, None
i = 1
while i < len(args):
    a = args[i]
    if a == "-X": method = args[i + 1]; i += 2
    elif a == "-F": k, v = args[i + 1].split("=", 1); body = open(v[1:]).read() if v.startswith("@") else v; i += 2
    elif a == "--jq": jq = args[i + 1]; i += 2
    elif a == "--paginate": i += 1
    else: path = a; i += 1
with open(os.environ["GH_FAKE_LOG"], "a") as log:
    log.write(f"{method} {path}\n")
if method == "GET" and re.fullmatch(r"repos/[^/]+/[^/]+/issues/\d+/comments", path):
    marker = re.search(r'startswith\("(.*?)"\)', jq).group(1)
    match = [c["id"] for c in comments if c["body"].startswith(marker)]
    print(match[0] if match else "")
elif method == "POST" and re.fullmatch(r"repos/[^/]+/[^/]+/issues/\d+/comments", path):
    comments.append({"id": 1000 + len(comments), "body": body})
elif method == "PATCH" and (m := re.fullmatch(r"repos/[^/]+/[^/]+/issues/comments/(\d+)", path)):
    [c for c in comments if c["id"] == int(m.group(1))][0]["body"] = body
else:
    sys.exit(f"gh stand-in: unexpected {method} {path}")
json.dump(comments, open(state_file, "w"))
PY
chmod +x "$work/bin/gh"

# The workflow's steps, by id, exactly as written in the YAML.
python3 - "$workflow" "$work/steps" <<'PY'
import os, sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
os.makedirs(sys.argv[2])
steps = {s["id"]: s for s in wf["jobs"]["plan"]["steps"] if "id" in s}
for step_id in ("plan", "summary", "comment"):
    open(os.path.join(sys.argv[2], step_id + ".sh"), "w").write(steps[step_id]["run"])
PY

export GITHUB_REPOSITORY=cachestack/platform PR_NUMBER=7 GH_TOKEN=stand-in TF_IN_AUTOMATION=1 TF_INPUT=0
export GITHUB_STEP_SUMMARY="$work/step-summary.md" GH_FAKE_STATE="$work/comments.json" GH_FAKE_LOG="$work/gh.log"
export PLAN_SUMMARY="$work/bin/elasticache-plan-summary" PATH="$work/bin:$PATH"

push() { # push <label>: run the three steps as GitHub does (bash -e, pipefail), in TF_DIR
  for step in plan summary comment; do
    (cd "$infra" && bash --noprofile --norc -eo pipefail "$work/steps/$step.sh") >"$work/step.log" 2>&1 ||
      { echo "step $step failed on push $1:"; cat "$work/step.log"; exit 1; }
  done
}
comment() { python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); assert len(c)==1, f"{len(c)} comments"; print(c[0]["body"])' "$GH_FAKE_STATE"; }
expect() { # expect <label> <text>...: the one comment holds every text
  local label=$1 body; shift
  body=$(comment) || { echo "push $label: want exactly one PR comment"; exit 1; }
  for want in "$@"; do
    grep -qF -- "$want" <<<"$body" || { echo "push $label: comment lacks \"$want\":"; echo "$body"; exit 1; }
  done
  echo "==> push $label: one comment, $(head -2 <<<"$body" | tail -1)"
}

push create
expect create "| \`elasticache_stack.sessions\` | create |" "+\$255.79"
terraform -chdir="$infra" apply -input=false -auto-approve tfplan >/dev/null

export TF_VAR_node_type=cache.r7g.xlarge
push scale-up
expect scale-up "| \`elasticache_stack.sessions\` | update |" "cache.r7g.xlarge" "**failover, maintenance window**" "(\`provisioned.node_type\`)"
terraform -chdir="$infra" apply -input=false -auto-approve tfplan >/dev/null

push no-change
expect no-change "no ElastiCache changes"
[ "$(grep -c '^POST' "$GH_FAKE_LOG")" = 1 ] && [ "$(grep -c '^PATCH' "$GH_FAKE_LOG")" = 2 ] ||
  { echo "want one POST then two PATCHes of the same comment:"; cat "$GH_FAKE_LOG"; exit 1; }
grep -qF "no ElastiCache changes" "$GITHUB_STEP_SUMMARY" || { echo "job summary not written"; exit 1; }
echo "ci-plan-summary: the workflow's commands posted one comment and updated it twice"
