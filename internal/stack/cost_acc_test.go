package stack_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// The stack's cost attributes.
const (
	monthly    = "cost.monthly_usd"
	monthlyMin = "cost.monthly_usd_min"
	monthlyMax = "cost.monthly_usd_max"
	source     = "cost.source"
)

// The quickstart stack: 3 x cache.r7g.large Valkey in us-east-1 from the catalog,
// 0.1752 USD/h x 3 x 730 h = 383.69 USD/month.
func TestAccStack_costInPlan(t *testing.T) {
	name := acctest.RandomName("acc-cost")
	cfg := quickstart(name)
	cfg.ExtraTop = `  expected_load = {
    data_gb             = 2
    requests_per_second = 2000
    pattern             = "steady"
  }
`
	doubled := cfg
	doubled.NodeType = "cache.r7g.xlarge"
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{
			Config: cfg.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: planChecks{
				inPlan(monthly, 383.69),
				inPlan("cost.breakdown.nodes", knownvalue.Float64Exact(383.69)),
				inPlan(source, "catalog"),
				// 2 GB on 13 GiB nodes: reservations and right-sizing both apply.
				inPlan("recommendations.0.kind", "reserved_nodes"),
				inPlan("recommendations", knownvalue.ListPartial(map[int]knownvalue.Check{
					0: knownvalue.ObjectPartial(map[string]knownvalue.Check{"kind": knownvalue.StringExact("reserved_nodes")}),
				})),
			}},
			ConfigStateChecks: stateChecks{inState(monthly, 383.69)},
		},
		{
			Config: doubled.HCL(t),
			ConfigPlanChecks: expectUpdate(
				inPlan(monthly, knownvalue.Float64Func(func(v float64) error {
					if v < 383.69*1.9 || v > 383.69*2.1 {
						return errorf("xlarge should cost about twice the large: %v", v)
					}
					return nil
				})),
			),
		},
		settled(doubled.HCL(t)),
	}))
}

func TestAccStack_costRecommendsServerlessForSpikyLoad(t *testing.T) {
	name := acctest.RandomName("acc-cost-spiky")
	cfg := quickstart(name)
	cfg.NodeType = "cache.t4g.small"
	cfg.ExtraTop = `  expected_load = {
    data_gb             = 0.5
    requests_per_second = 20
    pattern             = "spiky"
    peak_to_average     = 20
  }
`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config:   cfg.HCL(t),
			PlanOnly: true, ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: planChecks{
				inPlan("recommendations", knownvalue.SetPartial([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"kind": knownvalue.StringExact("serverless")}),
				})),
			}},
		}},
	})
}

// liveProvider turns on live prices; the emulator serves fixture prices of its own.
const liveProvider = `
provider "elasticache" {
  live_pricing = true
}
`

func TestAccStack_costLivePricesAndFallback(t *testing.T) {
	e := acctest.RequireEmulator(t)
	cfg := quickstart(acctest.RandomName("acc-cost-live"))
	cfg.ProviderHCL = liveProvider
	steps := []resource.TestStep{{
		Config: cfg.HCL(t), PlanOnly: true, ExpectNonEmptyPlan: true,
		ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: planChecks{
			inPlan(source, "pricing-api"),
			inPlan(monthly, knownvalue.Float64Func(func(v float64) error {
				if v == 383.69 {
					return errorf("live pricing returned the catalog figure")
				}
				return nil
			})),
		}},
	}}
	resource.Test(t, resource.TestCase{PreCheck: func() { acctest.PreCheck(t) }, ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: steps})

	// The Pricing endpoint fails: the plan still carries a cost, from the catalog, and says why.
	ctx := context.Background()
	if err := e.InjectFaults(ctx, []acctest.FaultRule{{Service: "pricing", Operation: "GetProducts", HTTPStatus: 500, ErrorCode: "InternalError", Count: 1000}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.ClearFaults(ctx) })
	other := quickstart(acctest.RandomName("acc-cost-fallback"))
	other.NodeType = "cache.m7g.large" // not yet memoized by the first plan
	other.ProviderHCL = liveProvider
	resource.Test(t, resource.TestCase{PreCheck: func() { acctest.PreCheck(t) }, ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: []resource.TestStep{{
		Config: other.HCL(t), PlanOnly: true, ExpectNonEmptyPlan: true,
		ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: planChecks{
			inPlan(source, knownvalue.StringRegexp(regexp.MustCompile(`^catalog \(pricing-api failed: InternalError\)$`))),
		}},
	}}})
}

// TestAccStack_costChangeWarning reads the plan as a reviewer does.
func TestAccStack_costChangeWarning(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	cfg := quickstart(acctest.RandomName("acc-cost-warn"))
	w := acctest.NewWorkdir(t, map[string]string{"main.tf": cfg.HCL(t), "versions.tf": requiredProviders})
	w.Must("apply", "-auto-approve", "-input=false", "-no-color")
	bigger := cfg
	bigger.Replicas = 5
	w.WriteFile("main.tf", bigger.HCL(t))
	out := w.Must("plan", "-input=false", "-no-color")
	// 3 -> 6 nodes: 383.69 -> 767.38 USD.
	want := `monthly cost 383.69 -> 767.38 USD (+100 %)`
	if !strings.Contains(out, want) {
		t.Errorf("plan lacks %q:\n%s", want, out)
	}
}
