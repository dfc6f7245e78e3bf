package stack_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// TestAccExamples applies every example under examples/quickstart and examples/scenarios
// with the real CLI, checks that a second plan is empty, and destroys it. Each example's stack
// gets a random name (the quickstart's name variable, the scenarios' literal name rewritten in
// the copy), as every acceptance test's does.
// stackName is a stack's literal top-level name attribute in an example.
var stackName = regexp.MustCompile(`(?m)^(  name\s*=\s*)"[a-z0-9-]+"`)

func TestAccExamples(t *testing.T) {
	acctest.PreCheck(t)
	root, err := acctest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dirs, _ := filepath.Glob(filepath.Join(root, "examples", "scenarios", "*"))
	dirs = append([]string{filepath.Join(root, "examples", "quickstart")}, dirs...)
	n := acctest.Network(t)
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			name := acctest.RandomName("acc-example")
			vars := map[string]any{"subnet_ids": n.SubnetIDs, "allowed_security_group_ids": []string{n.AppGroupID}}
			files := map[string]string{}
			tfs, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
			for _, f := range tfs {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(string(data), `variable "name"`) {
					vars["name"] = name
				}
				files[filepath.Base(f)] = stackName.ReplaceAllString(string(data), `${1}"`+name+`"`)
			}
			tfvars, _ := json.Marshal(vars)
			files["terraform.tfvars.json"] = string(tfvars)
			w := acctest.NewWorkdir(t, files)
			w.Must("apply", "-auto-approve", "-input=false", "-no-color")
			if out, err := w.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); err != nil {
				t.Fatalf("second plan is not empty: %v\n%s", err, out)
			}
			w.Must("destroy", "-auto-approve", "-input=false", "-no-color")
		})
	}
}
