package stack_test

// Provider-block arguments carried over from hashicorp/aws (issue 19), exercised against the
// emulator through Terraform: the account guard, ignore_tags, and the assume-role variants.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// The emulator (moto) answers GetCallerIdentity with this account for the test credentials.
const emulatorAccountID = "123456789012"

// stackServices are the services a refused account must never see a request for.
var stackServices = []string{"elasticache", "ec2", "cloudwatch", "monitoring"}

func TestAccProvider_wrongAccountRefusedAtConfigure(t *testing.T) {
	e := acctest.RequireEmulator(t)
	cfg := quickstart("acc-wrong-account")
	cfg.ProviderHCL = "provider \"elasticache\" {\n  allowed_account_ids = [\"210987654321\"]\n}\n"
	hcl := cfg.HCL(t) // the test network is looked up (EC2 calls) before the log is reset
	if err := e.ResetRequests(context.Background()); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      hcl,
			ExpectError: regexp.MustCompile(`(?s)AWS account ID not allowed.*account ` + emulatorAccountID),
		}},
	})
	reqs, err := e.Requests(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n := acctest.CountRequests(reqs, "sts", "GetCallerIdentity"); n == 0 {
		t.Error("the account was never asked for: GetCallerIdentity not in the request log")
	}
	for _, r := range reqs {
		for _, s := range stackServices {
			if r.Service == s {
				t.Errorf("request to %s %s with a refused account", r.Service, r.Operation)
			}
		}
	}
}

// An ignored tag that someone (AWS Organizations, a cost tool) adds out of band shows no drift,
// and a later tag change through Terraform leaves it in place on every component.
func TestAccProvider_ignoreTags(t *testing.T) {
	name := acctest.RandomName("acc-ignore-tags")
	cfg := quickstart(name)
	cfg.ProviderHCL = "provider \"elasticache\" {\n  ignore_tags {\n    keys         = [\"CostCenter\"]\n    key_prefixes = [\"org:\"]\n  }\n}\n"
	retagged := cfg
	retagged.Tags = map[string]string{"team": "ml-platform"}
	outOfBand := map[string]string{"CostCenter": "42", "org:owner": "finance"}
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: cfg.HCL(t)},
		{
			PreConfig:        func() { tagOutOfBand(t, name, outOfBand) },
			Config:           cfg.HCL(t),
			ConfigPlanChecks: expectEmpty(),
		},
		{
			Config:            retagged.HCL(t),
			ConfigPlanChecks:  expectUpdate(),
			ConfigStateChecks: stateChecks{inState("tags_all", knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("ml-platform")}))},
			Check:             func(_ *terraform.State) error { return checkTagsKept(t, name, outOfBand) },
		},
		settled(retagged.HCL(t)),
	}))
}

// The assume-role variants reach STS: AssumeRole with its session arguments, and
// AssumeRoleWithWebIdentity from a token file, chained into AssumeRole.
func TestAccProvider_assumeRoleVariants(t *testing.T) {
	e := acctest.RequireEmulator(t)
	token := filepath.Join(t.TempDir(), "oidc-token")
	if err := os.WriteFile(token, []byte("eyJhbGciOiJSUzI1NiJ9.e30.sig"), 0o600); err != nil {
		t.Fatal(err)
	}
	variants := []struct {
		name, block string
		want        []string
	}{
		{"assume-role", `
  assume_role {
    role_arn            = "arn:aws:iam::123456789012:role/cache-admin"
    session_name        = "acc-assume-role"
    policy_arns         = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    tags                = { project = "genai" }
    transitive_tag_keys = ["project"]
    source_identity     = "acc-test"
  }`, []string{"AssumeRole"}},
		{"web-identity-then-assume-role", fmt.Sprintf(`
  assume_role_with_web_identity {
    role_arn                = "arn:aws:iam::123456789012:role/ci"
    session_name            = "acc-web-identity"
    web_identity_token_file = %q
  }
  assume_role {
    role_arn = "arn:aws:iam::123456789012:role/cache-admin"
  }`, token), []string{"AssumeRoleWithWebIdentity", "AssumeRole"}},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			cfg := quickstart("acc-" + v.name)
			cfg.ProviderHCL = "provider \"elasticache\" {" + v.block + "\n}\n"
			hcl := cfg.HCL(t)
			if err := e.ResetRequests(context.Background()); err != nil {
				t.Fatal(err)
			}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps:                    []resource.TestStep{{Config: hcl, PlanOnly: true, ExpectNonEmptyPlan: true}},
			})
			reqs, err := e.Requests(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, op := range v.want {
				if acctest.CountRequests(reqs, "sts", op) == 0 {
					t.Errorf("no STS %s in the emulator's request log", op)
				}
			}
			for _, r := range reqs {
				if r.Service == "sts" && r.Status >= 400 {
					t.Errorf("STS %s answered %d %s", r.Operation, r.Status, r.ErrorCode)
				}
			}
		})
	}
}
