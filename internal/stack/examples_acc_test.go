package stack_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// TestAccExamples applies every example under examples/quickstart and examples/scenarios
// with the real CLI, checks that a second plan is empty, and destroys it.
func TestAccExamples(t *testing.T) {
	acctest.PreCheck(t)
	root, err := acctest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dirs, _ := filepath.Glob(filepath.Join(root, "examples", "scenarios", "*"))
	dirs = append([]string{filepath.Join(root, "examples", "quickstart")}, dirs...)
	n := acctest.Network(t)
	vars, _ := json.Marshal(map[string]any{"subnet_ids": n.SubnetIDs, "allowed_security_group_ids": []string{n.AppGroupID}})
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			files := map[string]string{"terraform.tfvars.json": string(vars)}
			tfs, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
			for _, f := range tfs {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				files[filepath.Base(f)] = string(data)
			}
			w := acctest.NewWorkdir(t, files)
			w.Must("apply", "-auto-approve", "-input=false", "-no-color")
			if out, err := w.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); err != nil {
				t.Fatalf("second plan is not empty: %v\n%s", err, out)
			}
			w.Must("destroy", "-auto-approve", "-input=false", "-no-color")
		})
	}
}
