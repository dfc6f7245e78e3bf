package acctest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Workdir runs the real Terraform CLI with the provider binary that `make install` put in the
// local filesystem mirror: the path users take, for tests that need the CLI's own output
// (plan warnings, logs, `terraform show -json`).
type Workdir struct {
	Dir     string
	t       *testing.T
	env     []string
	applied bool
}

// RepoRoot returns the repository root (the directory holding go.mod of this module).
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.Contains(data, []byte("module github.com/cachestack/terraform-provider-elasticache\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("go.mod of the provider not found above the working directory")
		}
		dir = parent
	}
}

// MirrorCLIConfig returns the CLI configuration `make install` writes, which makes Terraform
// install cachestack/elasticache from the local mirror.
func MirrorCLIConfig(t *testing.T) string {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(root, ".build", "terraformrc")
	if _, err := os.Stat(rc); err != nil {
		t.Fatalf("%s is missing: run `make install` (make test does) so the CLI can install the provider", rc)
	}
	return rc
}

// NewWorkdir writes the files into a temporary directory and runs `terraform init` there.
// Extra environment variables (KEY=VALUE) apply to every command.
func NewWorkdir(t *testing.T, files map[string]string, env ...string) *Workdir {
	t.Helper()
	PreCheck(t)
	w := &Workdir{Dir: t.TempDir(), t: t}
	w.env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+MirrorCLIConfig(t), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	w.env = append(w.env, env...)
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(w.Dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	w.Must("init", "-input=false", "-no-color")
	t.Cleanup(func() {
		if w.applied {
			if out, err := w.Run("destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
				t.Errorf("cleanup destroy failed: %v\n%s", err, out)
			}
		}
	})
	return w
}

// Run runs terraform with args and returns its combined output.
func (w *Workdir) Run(args ...string) (string, error) {
	return w.RunEnv(nil, args...)
}

// RunEnv is Run with extra environment variables for this command only.
func (w *Workdir) RunEnv(env []string, args ...string) (string, error) {
	cmd := exec.Command("terraform", args...)
	cmd.Dir = w.Dir
	cmd.Env = append(append([]string(nil), w.env...), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if len(args) > 0 && (args[0] == "apply") {
		w.applied = true
	}
	if len(args) > 0 && args[0] == "destroy" && err == nil {
		w.applied = false
	}
	return out.String(), err
}

// Must runs terraform and fails the test on error.
func (w *Workdir) Must(args ...string) string {
	w.t.Helper()
	out, err := w.Run(args...)
	if err != nil {
		w.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// WriteFile replaces one file of the configuration.
func (w *Workdir) WriteFile(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.Dir, name), []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// ReadFile reads a file from the working directory (the state file, a log).
func (w *Workdir) ReadFile(name string) string {
	w.t.Helper()
	data, err := os.ReadFile(filepath.Join(w.Dir, name))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(data)
}
