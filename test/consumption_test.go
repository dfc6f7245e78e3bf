package test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gruntwork-io/terratest/modules/terraform"
)

// How platform repositories consume the modules: from git with a ref, and from a module
// registry with a version constraint. Both are tested against a temporary repository made from
// the modules under test (never pushed anywhere), so they check the working tree, not an older
// commit.

// moduleRepo is a temporary bare git repository holding modules/ at the tags given.
type moduleRepo struct {
	Bare string // path of the bare repository
}

// newModuleRepo commits a copy of modules/ to a fresh repository, tags it, and clones it bare,
// as a platform repository would see the provider repository.
func newModuleRepo(t *testing.T, tags ...string) moduleRepo {
	t.Helper()
	base := t.TempDir()
	work := filepath.Join(base, "work")
	copyTree(t, filepath.Join(suite.RepoRoot, "modules"), filepath.Join(work, "modules"))
	git := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=module-tests", "GIT_AUTHOR_EMAIL=module-tests@example.invalid",
			"GIT_COMMITTER_NAME=module-tests", "GIT_COMMITTER_EMAIL=module-tests@example.invalid", "GIT_CONFIG_NOSYSTEM=1", "HOME="+base)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	git(work, "init", "-q", "-b", "main")
	git(work, "add", "-A")
	git(work, "commit", "-q", "-m", "tier modules under test")
	for _, tag := range tags {
		git(work, "tag", tag)
	}
	bare := filepath.Join(base, "terraform-provider-elasticache.git")
	git(base, "clone", "-q", "--bare", work, bare)
	return moduleRepo{Bare: bare}
}

// consumerConfig writes a root configuration that calls one module from source (and version),
// passes the network and exposes the module's outputs.
func consumerConfig(t *testing.T, source, version string) string {
	t.Helper()
	dir := t.TempDir()
	versionLine := ""
	if version != "" {
		versionLine = fmt.Sprintf("  version = %q\n", version)
	}
	config := fmt.Sprintf(`terraform {
  required_providers {
    elasticache = {
      source  = "cachestack/elasticache"
      version = ">= 0.1.0"
    }
  }
}

variable "name" { type = string }
variable "subnet_ids" { type = list(string) }
variable "allowed_security_group_ids" { type = list(string) }

module "tier" {
  source = %q
%s
  name                       = var.name
  subnet_ids                 = var.subnet_ids
  allowed_security_group_ids = var.allowed_security_group_ids
}

output "connection_url" {
  value = module.tier.connection_url
}

output "eviction_policy" {
  value = module.tier.eviction_policy
}

output "alarm_names" {
  value = module.tier.alarm_names
}
`, source, versionLine)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestGitSource consumes modules/genai-session as
// git::file://<bare clone>//modules/genai-session?ref=v0.1.0.
func TestGitSource(t *testing.T) {
	t.Parallel()
	repo := newModuleRepo(t, "v0.1.0")
	source := "git::file://" + repo.Bare + "//modules/genai-session?ref=v0.1.0"
	name := uniqueName("tt-git")
	lifecycle{
		Name: name,
		Dir:  consumerConfig(t, source, ""),
		Vars: networkVars(name),
		Verify: func(t *testing.T, opts *terraform.Options) {
			recorded := moduleManifest(t, opts.TerraformDir)
			if got := recorded["tier"]; !strings.HasPrefix(got, "git::file://") || !strings.Contains(got, "//modules/genai-session?ref=v0.1.0") {
				t.Errorf("module tier installed from %q, want the git source %s", got, source)
			}
			obs := verifyStack(t, name, stackExpectation{EvictionPolicy: "volatile-lru", Shards: 1, ReplicasPerShard: 2,
				AlarmThresholds: map[string]float64{"evictions": 0}})
			out := outputs(t, opts)
			if out["connection_url"] != "rediss://"+obs.Endpoint+":6379" || out["eviction_policy"] != "volatile-lru" {
				t.Errorf("outputs through the git source: %v", out)
			}
		},
	}.run(t)
}

// TestRegistrySource consumes modules/cache the way a registry user does,
// `source = "<host>/cachestack/tiers/elasticache//modules/cache"` with `version = "~> 0.1.0"`,
// from a module registry served by this test (the registry's module protocol: versions, then
// download answering X-Terraform-Get). The registry serves the release's module package,
// terraform-elasticache-tiers_<version>.tar.gz, built from the working tree by the same script
// as `make module-package` (the goreleaser before hook). Terraform finds the registry through a
// `host` block in the CLI config, as it would a private registry. The registry offers 0.1.0 and
// 0.2.0; the constraint must pick 0.1.0.
func TestRegistrySource(t *testing.T) {
	t.Parallel()
	const host = "registry.cachestack.test"
	const module = "cachestack/tiers/elasticache"
	packages := map[string]string{}
	for _, v := range []string{"0.1.0", "0.2.0"} {
		packages[v] = buildModulePackage(t, v)
	}

	var (
		mu        sync.Mutex
		downloads []string
	)
	mux := http.NewServeMux()
	var registryURL string
	mux.HandleFunc("GET /v1/modules/"+module+"/versions", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"modules": []any{map[string]any{
			"versions": []any{map[string]string{"version": "0.1.0"}, map[string]string{"version": "0.2.0"}},
		}}})
	})
	mux.HandleFunc("GET /v1/modules/"+module+"/{version}/download", func(w http.ResponseWriter, r *http.Request) {
		version := r.PathValue("version")
		mu.Lock()
		downloads = append(downloads, version)
		mu.Unlock()
		w.Header().Set("X-Terraform-Get", registryURL+"/packages/"+filepath.Base(packages[version]))
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /packages/{file}", func(w http.ResponseWriter, r *http.Request) {
		for _, p := range packages {
			if filepath.Base(p) == r.PathValue("file") {
				http.ServeFile(w, r, p)
				return
			}
		}
		http.NotFound(w, r)
	})
	registry := httptest.NewServer(mux)
	t.Cleanup(registry.Close)
	registryURL = registry.URL

	base, err := os.ReadFile(suite.TFRC)
	if err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(t.TempDir(), "terraformrc")
	hostBlock := fmt.Sprintf("host %q {\n  services = {\n    \"modules.v1\" = %q\n  }\n}\n\n", host, registry.URL+"/v1/modules/")
	if err := os.WriteFile(rc, append([]byte(hostBlock), base...), 0o644); err != nil {
		t.Fatal(err)
	}

	name := uniqueName("tt-reg")
	lifecycle{
		Name: name,
		Dir:  consumerConfig(t, host+"/"+module+"//modules/cache", "~> 0.1.0"),
		Vars: networkVars(name),
		Env:  map[string]string{"TF_CLI_CONFIG_FILE": rc},
		Verify: func(t *testing.T, opts *terraform.Options) {
			mu.Lock()
			got := strings.Join(downloads, ",")
			mu.Unlock()
			if got != "0.1.0" {
				t.Errorf("registry downloads %q, want exactly 0.1.0 (the constraint ~> 0.1.0 excludes 0.2.0)", got)
			}
			recorded := moduleManifest(t, opts.TerraformDir)
			if src := recorded["tier"]; src != host+"/"+module+"//modules/cache" {
				t.Errorf("module tier installed from %q", src)
			}
			// The package's root module came along: the install is the package, not a checkout.
			if _, err := os.Stat(filepath.Join(opts.TerraformDir, ".terraform", "modules", "tier", "versions.tf")); err != nil {
				t.Errorf("the registry package's root module is not in the installed module: %v", err)
			}
			obs := verifyStack(t, name, stackExpectation{EvictionPolicy: "allkeys-lru", HitRateAlarm: true,
				AlarmThresholds: map[string]float64{"hit-rate": 50}})
			out := outputs(t, opts)
			if out["connection_url"] != "rediss://"+obs.Endpoint+":6379" || out["eviction_policy"] != "allkeys-lru" {
				t.Errorf("outputs through the registry source: %v", out)
			}
		},
	}.run(t)
}

// buildModulePackage runs scripts/module-package.sh (make module-package) for version into a
// directory of its own and returns the archive's path.
func buildModulePackage(t *testing.T, version string) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("bash", filepath.Join(suite.RepoRoot, "scripts", "module-package.sh"), version, dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("module package %s: %v\n%s", version, err, out)
	}
	return filepath.Join(dir, "terraform-elasticache-tiers_"+version+".tar.gz")
}

// moduleManifest reads .terraform/modules/modules.json: module key -> source it was installed
// from.
func moduleManifest(t *testing.T, dir string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, ".terraform", "modules", "modules.json"))
	if err != nil {
		t.Fatalf("module manifest: %v", err)
	}
	var manifest struct {
		Modules []struct {
			Key    string `json:"Key"`
			Source string `json:"Source"`
		} `json:"Modules"`
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatalf("module manifest: %v", err)
	}
	out := map[string]string{}
	for _, m := range manifest.Modules {
		out[m.Key] = m.Source
	}
	return out
}
