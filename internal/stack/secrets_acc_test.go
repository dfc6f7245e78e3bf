package stack_test

import (
	"archive/zip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// secretStackHCL is a stack whose AUTH token comes from an ephemeral variable (never stored
// in a plan), at the given token version.
func secretStackHCL(t *testing.T, name string, version int) string {
	t.Helper()
	return ephemeralStackHCL(t, name, []string{"token"}, fmt.Sprintf(`
    auth_token_wo         = var.token
    auth_token_wo_version = %d`, version))
}

// ephemeralStackHCL is a small stack on nodes whose security block (security, HCL) reads
// secrets from the ephemeral, sensitive variables vars.
func ephemeralStackHCL(t *testing.T, name string, vars []string, security string) string {
	t.Helper()
	n := acctest.Network(t)
	var b strings.Builder
	for _, v := range vars {
		fmt.Fprintf(&b, "variable %q {\n  type      = string\n  sensitive = true\n  ephemeral = true\n}\n\n", v)
	}
	fmt.Fprintf(&b, `resource "elasticache_stack" "test" {
  name = %q
  network = {
    subnet_ids                 = %s
    allowed_security_group_ids = [%q]
  }
  provisioned = {
    node_type          = "cache.t4g.medium"
    replicas_per_shard = 1
  }
  security = {%s
  }
}
`, name, acctest.HCLList(n.SubnetIDs), n.AppGroupID, security)
	return b.String()
}

// tracedWorkdir is a Terraform working directory for mainTF whose CLI writes its trace log
// (TF_LOG=trace) to logPath, where the leak checks look for secrets.
func tracedWorkdir(t *testing.T, mainTF string) (w *acctest.Workdir, logPath string) {
	t.Helper()
	logPath = filepath.Join(t.TempDir(), "terraform-trace.log")
	w = acctest.NewWorkdir(t, map[string]string{"main.tf": mainTF, "versions.tf": faultVersions}, "TF_LOG=trace", "TF_LOG_PATH="+logPath)
	return w, logPath
}

func randomToken(t *testing.T, prefix string) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return prefix + "-" + hex.EncodeToString(b)
}

// emulatorDump fetches a control endpoint of the emulator as raw text.
func emulatorDump(t *testing.T, path string) string {
	t.Helper()
	resp, err := http.Get(acctest.Local.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d %v", path, resp.StatusCode, err)
	}
	return string(body)
}

// TestAccStackSecrets_authTokenNeverLeaks applies a stack with a write-only AUTH token and
// rotates it (version 1 -> 2) through the real CLI with TF_LOG=trace, then looks for either
// token everywhere it could leak: the state file (and its backup), `terraform show -json` of
// both saved plans and of the state, the Terraform and provider trace log, the CLI output, and
// the emulator's request log and resource dump. It also checks, in the emulator, that the
// rotation happened.
func TestAccStackSecrets_authTokenNeverLeaks(t *testing.T) {
	acctest.PreCheck(t)
	logDuration(t)
	name := acctest.RandomName("acc-secret-rotate")
	first, second := randomToken(t, "First"), randomToken(t, "Second")
	w, logPath := tracedWorkdir(t, secretStackHCL(t, name, 1))
	run := func(token string, args ...string) string {
		t.Helper()
		out, err := w.RunEnv([]string{"TF_VAR_token=" + token}, args...)
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	var cliOutput strings.Builder
	ctx := context.Background()
	c := clients(t)
	describe := func() (enabled bool, modified time.Time) {
		t.Helper()
		out, err := c.ec.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		rg := out.ReplicationGroups[0]
		return aws.ToBool(rg.AuthTokenEnabled), aws.ToTime(rg.AuthTokenLastModifiedDate)
	}

	// Version 1: create with the first token.
	cliOutput.WriteString(run(first, "plan", "-input=false", "-no-color", "-out=v1.tfplan"))
	planV1 := run(first, "show", "-json", "v1.tfplan")
	cliOutput.WriteString(run(first, "apply", "-input=false", "-no-color", "v1.tfplan"))
	t.Cleanup(func() { // the ephemeral variable is required, so the Workdir's own cleanup cannot destroy
		if out, err := w.RunEnv([]string{"TF_VAR_token=" + second}, "destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
			t.Errorf("destroy: %v\n%s", err, out)
		}
		if left := emulatorLeftovers(t, name); len(left) > 0 {
			t.Errorf("left behind: %v", left)
		}
	})
	enabled, setAt := describe()
	if !enabled {
		t.Fatal("the replication group has no AUTH token after create")
	}
	if err := checkHardened(t, name)(nil); err != nil {
		t.Error(err)
	}

	// Version 2: rotate to the second token.
	w.WriteFile("main.tf", secretStackHCL(t, name, 2))
	if acctest.Local != nil {
		if err := acctest.Local.ResetRequests(ctx); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(1100 * time.Millisecond) // AuthTokenLastModifiedDate has second resolution
	cliOutput.WriteString(run(second, "plan", "-input=false", "-no-color", "-out=v2.tfplan"))
	planV2 := run(second, "show", "-json", "v2.tfplan")
	if !strings.Contains(planV2, `"auth_token_wo_version":2`) {
		t.Errorf("the rotation plan does not change auth_token_wo_version to 2")
	}
	cliOutput.WriteString(run(second, "apply", "-input=false", "-no-color", "v2.tfplan"))
	stateJSON := run(second, "show", "-json")

	enabled, rotatedAt := describe()
	if !enabled || !rotatedAt.After(setAt) {
		t.Errorf("the token was not rotated in the emulator: enabled=%t, last modified %s then %s", enabled, setAt, rotatedAt)
	}
	if acctest.Local != nil {
		modifies := countFor(requests(t), "ModifyReplicationGroup", name, false)
		t.Logf("rotation apply: %d ModifyReplicationGroup calls", modifies)
		if modifies == 0 {
			t.Error("the rotation apply made no ModifyReplicationGroup call")
		}
	}

	// Nowhere: state, plans, logs, CLI output, emulator dumps.
	places := map[string]string{
		"terraform.tfstate":               w.ReadFile("terraform.tfstate"),
		"terraform show -json v1.tfplan":  planV1,
		"terraform show -json v2.tfplan":  planV2,
		"terraform show -json (state)":    stateJSON,
		"CLI output of plan and apply":    cliOutput.String(),
		"Terraform and provider TF_LOG":   readFile(t, logPath),
		"terraform.tfstate.backup":        readOptional(filepath.Join(w.Dir, "terraform.tfstate.backup")),
		"saved plan v1.tfplan (unzipped)": readPlanFile(t, filepath.Join(w.Dir, "v1.tfplan")),
		"saved plan v2.tfplan (unzipped)": readPlanFile(t, filepath.Join(w.Dir, "v2.tfplan")),
		"emulator request log (requests)": "",
		"emulator resources":              "",
	}
	if acctest.Local != nil {
		places["emulator request log (requests)"] = emulatorDump(t, "/_emulator/requests")
		places["emulator resources"] = emulatorDump(t, "/_emulator/resources")
	}
	assertNoSecrets(t, places, map[string]string{"first token": first, "second token": second})
}

// assertNoSecrets fails for every secret found, as is or URL- or hex-encoded, in any place. The
// trace log must hold the provider's own logs, or the check would prove nothing.
func assertNoSecrets(t *testing.T, places, secrets map[string]string) {
	t.Helper()
	logText := places["Terraform and provider TF_LOG"]
	if !strings.Contains(logText, "ApplyResourceChange") || !strings.Contains(logText, "@module=elasticache") && !strings.Contains(logText, "provider.terraform-provider-elasticache") {
		t.Errorf("the trace log does not hold the provider's own logs (%d bytes); the check would prove nothing", len(logText))
	}
	for place, text := range places {
		for label, secret := range secrets {
			for _, form := range []string{secret, url.QueryEscape(secret), hex.EncodeToString([]byte(secret))} {
				if strings.Contains(text, form) {
					t.Errorf("the %s appears in %s", label, place)
				}
			}
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// readPlanFile returns every file inside a saved plan (a zip archive), concatenated.
func readPlanFile(t *testing.T, path string) string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("open saved plan %s: %v", path, err)
	}
	defer z.Close()
	var b strings.Builder
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(f.Name + "\n")
		b.Write(data)
	}
	if b.Len() == 0 {
		t.Fatalf("saved plan %s is empty", path)
	}
	return b.String()
}

func readOptional(path string) string {
	data, _ := os.ReadFile(path)
	return string(data)
}

// usersSecretHCL is a stack with a password user whose passwords come from ephemeral variables.
func usersSecretHCL(t *testing.T, name string, version int, passwords string) string {
	t.Helper()
	return ephemeralStackHCL(t, name, []string{"pw1", "pw2"}, fmt.Sprintf(`
    users = {
      app = {
        access_string        = "on ~app:* +@read +@write"
        passwords_wo         = %s
        passwords_wo_version = %d
      }
    }`, passwords, version))
}

// TestAccStackSecrets_userPasswordsNeverLeak creates a stack with a password user and rotates
// its passwords (one, then two) through the real CLI with TF_LOG=trace, and looks for either
// password in state, plan JSON, saved plans, trace logs and CLI output.
func TestAccStackSecrets_userPasswordsNeverLeak(t *testing.T) {
	acctest.PreCheck(t)
	logDuration(t)
	name := acctest.RandomName("acc-secret-users")
	first, second := randomToken(t, "UserFirst"), randomToken(t, "UserSecond")
	w, logPath := tracedWorkdir(t, usersSecretHCL(t, name, 1, "[var.pw1]"))
	env := []string{"TF_VAR_pw1=" + first, "TF_VAR_pw2=" + second}
	var cli strings.Builder
	run := func(args ...string) string {
		t.Helper()
		out, err := w.RunEnv(env, args...)
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	cli.WriteString(run("plan", "-input=false", "-no-color", "-out=v1.tfplan"))
	planV1 := run("show", "-json", "v1.tfplan")
	cli.WriteString(run("apply", "-input=false", "-no-color", "v1.tfplan"))
	t.Cleanup(func() {
		if out, err := w.RunEnv(env, "destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
			t.Errorf("destroy: %v\n%s", err, out)
		}
	})
	w.WriteFile("main.tf", usersSecretHCL(t, name, 2, "[var.pw1, var.pw2]"))
	cli.WriteString(run("plan", "-input=false", "-no-color", "-out=v2.tfplan"))
	planV2 := run("show", "-json", "v2.tfplan")
	if !strings.Contains(planV2, `"passwords_wo_version":2`) {
		t.Errorf("the rotation plan does not change passwords_wo_version to 2")
	}
	cli.WriteString(run("apply", "-input=false", "-no-color", "v2.tfplan"))
	out, err := clients(t).ec.DescribeUsers(context.Background(), &elasticache.DescribeUsersInput{UserId: aws.String(name + "-app")})
	if err != nil || aws.ToInt32(out.Users[0].Authentication.PasswordCount) != 2 {
		t.Errorf("the rotation did not give the user two passwords: %v %+v", err, out)
	}
	assertNoSecrets(t, map[string]string{
		"terraform.tfstate":               w.ReadFile("terraform.tfstate"),
		"terraform show -json v1.tfplan":  planV1,
		"terraform show -json v2.tfplan":  planV2,
		"terraform show -json (state)":    run("show", "-json"),
		"CLI output of plan and apply":    cli.String(),
		"Terraform and provider TF_LOG":   readFile(t, logPath),
		"saved plan v1.tfplan (unzipped)": readPlanFile(t, filepath.Join(w.Dir, "v1.tfplan")),
		"saved plan v2.tfplan (unzipped)": readPlanFile(t, filepath.Join(w.Dir, "v2.tfplan")),
	}, map[string]string{"first password": first, "second password": second})
}
