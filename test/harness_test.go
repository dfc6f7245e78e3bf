package test

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gruntwork-io/terratest/modules/terraform"
)

// lifecycle is one apply / verify / plan-again / destroy / nothing-left cycle of a root
// configuration.
type lifecycle struct {
	// Name is the stack name; every AWS resource of the configuration carries it, which is how
	// the leftover check finds them.
	Name string
	// Dir is the root configuration (in a temporary copy: init writes .terraform there).
	Dir  string
	Vars map[string]any
	// Env is added to the suite's environment (e.g. a CLI config with a module registry host).
	Env map[string]string
	// Verify checks outputs and AWS resources after apply.
	Verify func(t *testing.T, opts *terraform.Options)
}

// run applies, verifies, expects an empty second plan, destroys and checks that nothing of the
// stack is left. A failure anywhere still destroys (t.Cleanup).
func (l lifecycle) run(t *testing.T) {
	t.Helper()
	env := map[string]string{}
	for k, v := range suite.Env {
		env[k] = v
	}
	for k, v := range l.Env {
		env[k] = v
	}
	opts := &terraform.Options{TerraformDir: l.Dir, Vars: l.Vars, EnvVars: env, NoColor: true}
	destroyed := false
	t.Cleanup(func() {
		if !destroyed {
			if _, err := terraform.DestroyE(t, opts); err != nil {
				t.Logf("cleanup destroy of %s failed: %v", l.Name, err)
			}
		}
	})

	start := time.Now()
	terraform.InitAndApply(t, opts)
	applied := time.Now()

	l.Verify(t, opts)

	if code := terraform.PlanExitCode(t, opts); code != 0 {
		t.Fatalf("the plan after apply must be empty (terraform plan -detailed-exitcode = 0), got exit code %d", code)
	}
	planned := time.Now()

	terraform.Destroy(t, opts)
	destroyed = true
	assertNothingLeft(t, l.Name)
	t.Logf("%s: init+apply %s, verify+plan %s, destroy %s", l.Name,
		applied.Sub(start).Round(100*time.Millisecond), planned.Sub(applied).Round(100*time.Millisecond), time.Since(planned).Round(100*time.Millisecond))
}

// assertNothingLeft checks the emulator's resource list for anything named after the stack:
// replication group, member clusters, parameter and subnet groups, snapshots, alarms
// (elasticache/<name>/...) and the security group (elasticache-<name>). Endpoints without the
// emulator's control API (LocalStack, AWS) are checked through DescribeReplicationGroups only.
func assertNothingLeft(t *testing.T, name string) {
	t.Helper()
	ctx := context.Background()
	items, ok, err := emulatorResources(ctx, suite.Endpoint)
	if err != nil {
		t.Fatalf("list emulator resources: %v", err)
	}
	if !ok {
		if gone, err := newClients(t).replicationGroupGone(ctx, name); !gone {
			t.Fatalf("replication group %s still exists after destroy (err=%v)", name, err)
		}
		return
	}
	var left []string
	for _, item := range items {
		if strings.Contains(item, name) {
			left = append(left, item)
		}
	}
	slices.Sort(left)
	if len(left) > 0 {
		t.Fatalf("destroy left %d resources of %s behind:\n  %s", len(left), name, strings.Join(left, "\n  "))
	}
}

// applyTier runs the lifecycle of one tier module (modules/<tier>, in a fresh copy) applied as
// the root module with vars: apply, verify, destroy, nothing left behind.
func applyTier(t *testing.T, tier, name string, vars map[string]any, verify func(t *testing.T, opts *terraform.Options)) {
	t.Helper()
	lifecycle{Name: name, Dir: filepath.Join(copyModules(t), tier), Vars: vars, Verify: verify}.run(t)
}

// copyModules copies the repository's modules/ tree (modules, examples, tests; links as links)
// into a fresh temporary directory, without Terraform working files, and returns the copy's modules/ path.
// Tests run Terraform in the copy, so parallel tests and a developer's own `terraform init` in
// the repository do not share .terraform directories or lock files.
func copyModules(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "modules")
	copyTree(t, filepath.Join(suite.RepoRoot, "modules"), dst)
	return dst
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		base := d.Name()
		if d.IsDir() && base == ".terraform" {
			return filepath.SkipDir
		}
		if !d.IsDir() && (base == ".terraform.lock.hcl" || strings.HasPrefix(base, "terraform.tfstate") ||
			strings.HasSuffix(base, ".tfvars") || strings.HasSuffix(base, ".tfvars.json")) {
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// Kept as links (the tiers link the declarations they share from modules/cache),
			// so the git-sourced tests consume the tree as a clone of the repository has it.
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatalf("copy %s: %v", src, err)
	}
}

// networkVars are the inputs every module and example takes.
func networkVars(name string) map[string]any {
	return map[string]any{
		"name":                       name,
		"subnet_ids":                 suite.Net.SubnetIDs,
		"allowed_security_group_ids": []string{suite.Net.AppGroupID},
	}
}

// outputs reads every output as JSON-decoded Go values.
func outputs(t *testing.T, opts *terraform.Options) map[string]any {
	t.Helper()
	raw := terraform.OutputJson(t, opts, "")
	var all map[string]struct {
		Value any `json:"value"`
	}
	if err := json.Unmarshal([]byte(raw), &all); err != nil {
		t.Fatalf("terraform output -json: %v", err)
	}
	out := make(map[string]any, len(all))
	for k, v := range all {
		out[k] = v.Value
	}
	return out
}

func stringsOf(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, item := range list {
		s, _ := item.(string)
		out = append(out, s)
	}
	return out
}

func sortedCopy(in []string) []string {
	out := slices.Clone(in)
	slices.Sort(out)
	return out
}
