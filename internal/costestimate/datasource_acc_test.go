package costestimate_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cachestack/terraform-provider-elasticache/internal/cost"
	"github.com/cachestack/terraform-provider-elasticache/internal/cost/costtest"
	"github.com/cachestack/terraform-provider-elasticache/internal/provider"
)

// Acceptance tests run under TF_ACC=1 (as `make test` does) with Terraform from PATH. The
// catalog tests need no AWS endpoint: the provider is configured without any AWS call. The
// live-pricing tests start the bundled emulator (test/emulator), whose fixture prices differ
// from AWS's.

func TestMain(m *testing.M) {
	code := func() int {
		if os.Getenv("TF_ACC") != "" {
			// The machine's TF_CLI_CONFIG_FILE may name a missing file; the in-process provider
			// needs no installation, so an empty CLI config will do.
			dir, err := os.MkdirTemp("", "costestimate-tfrc")
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			defer os.RemoveAll(dir)
			rc := filepath.Join(dir, "terraformrc")
			if err := os.WriteFile(rc, nil, 0o600); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			os.Setenv("TF_CLI_CONFIG_FILE", rc)
		}
		defer costtest.Stop()
		return m.Run()
	}()
	os.Exit(code)
}

func factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"elasticache": providerserver.NewProtocol6WithError(provider.New("test")()),
	}
}

// offlineProviderArgs configure the provider without any AWS call: prices come from the catalog.
const offlineProviderArgs = `  region                      = "us-east-1"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  access_key                  = "test"
  secret_key                  = "test"
`

const providerBlock = "\nprovider \"elasticache\" {\n" + offlineProviderArgs + "}\n"

// liveProviderBlock points the Pricing and ElastiCache clients at an endpoint and turns live
// prices on.
func liveProviderBlock(url string) string {
	return fmt.Sprintf(`
provider "elasticache" {
%s  live_pricing                = true
  endpoints {
    pricing     = %q
    elasticache = %q
  }
}
`, offlineProviderArgs, url, url)
}

const addr = "data.elasticache_cost_estimate.test"

// estimateConfig is the data source with body as its arguments, under the catalog provider block.
func estimateConfig(body string) string {
	return providerBlock + "data \"elasticache_cost_estimate\" \"test\" {\n" + body + "\n}\n"
}

// catalogCase is a TestCase of steps against the provider served in-process.
func catalogCase(steps []resource.TestStep) resource.TestCase {
	return resource.TestCase{ProtoV6ProviderFactories: factories(), Steps: steps}
}

func at(steps ...any) tfjsonpath.Path {
	p := tfjsonpath.New(steps[0].(string))
	for _, s := range steps[1:] {
		switch v := s.(type) {
		case string:
			p = p.AtMapKey(v)
		case int:
			p = p.AtSliceIndex(v)
		}
	}
	return p
}

func expect(path tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, path, v)
}

func kinds(ks ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ks))
	for i, k := range ks {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"kind": knownvalue.StringExact(k)})
	}
	return knownvalue.ListExact(checks)
}

// TestAccCostEstimate_provisioned prices the seeds/003 deployment (1 primary + 2 replicas of
// cache.r7g.large, Redis OSS, us-east-1) from the catalog: AWS's published $0.219/h gives
// 479.61 USD a month (the seed's $0.165/h would give 361.35; see internal/cost).
func TestAccCostEstimate_provisioned(t *testing.T) {
	resource.ParallelTest(t, catalogCase([]resource.TestStep{
		{
			Config: estimateConfig(`
  engine             = "redis"
  node_type          = "cache.r7g.large"
  replicas_per_shard = 2
`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(at("region"), knownvalue.StringExact("us-east-1")),
				expect(at("mode"), knownvalue.StringExact("provisioned")),
				expect(at("shards"), knownvalue.Int64Exact(1)),
				expect(at("node_count"), knownvalue.Int64Exact(3)),
				expect(at("cost"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"hourly_usd":  knownvalue.Float64Exact(0.657),
					"monthly_usd": knownvalue.Float64Exact(479.61),
					// Nothing scales: the range is the one figure.
					"monthly_usd_min": knownvalue.Float64Exact(479.61), "monthly_usd_max": knownvalue.Float64Exact(479.61),
					"breakdown": knownvalue.ObjectExact(map[string]knownvalue.Check{
						"nodes": knownvalue.Float64Exact(479.61), "storage": knownvalue.Float64Exact(0),
						"ecpu": knownvalue.Float64Exact(0), "backups": knownvalue.Float64Exact(0),
						"cross_region_replication": knownvalue.Float64Exact(0), // no Global Datastore here
					}),
					"source": knownvalue.StringExact("catalog"),
					"as_of":  knownvalue.StringExact(cost.DefaultCatalog().AsOf()),
				})),
				expect(at("recommendations"), knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
					"kind":                knownvalue.StringExact("reserved_nodes"),
					"monthly_savings_usd": knownvalue.Float64Exact(263.79),
					"summary":             knownvalue.StringRegexp(regexp.MustCompile(`^Reserve 3 x cache\.r7g\.large for 3 years, All Upfront: \$7,769\.67 upfront.*55 % saving.*breaks even in month 17 of 36`)),
				})})),
			},
		},
		{
			// An autoscaled group: its configured counts are the floor (and the reservation),
			// 3 shards x 3 nodes the ceiling.
			Config: estimateConfig(`
  engine             = "redis"
  node_type          = "cache.r7g.large"
  replicas_per_shard = 2
  autoscaling        = { max_shards = 3 }
`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(at("cost", "monthly_usd_min"), knownvalue.Float64Exact(479.61)),
				expect(at("cost", "monthly_usd_max"), knownvalue.Float64Exact(1438.83)),
				expect(at("recommendations", 0, "summary"), knownvalue.StringRegexp(regexp.MustCompile(`^Reserve 3 x cache\.r7g\.large .*the autoscaling floor; nodes above it, up to 9, run on demand`))),
			},
		},
		{
			// Another region and the defaults (valkey, 1 shard, 1 replica), with backups.
			Config: estimateConfig(`
  region                  = "eu-west-1"
  node_type               = "cache.r7g.large"
  shards                  = 2
  snapshot_retention_days = 7
  expected_load = {
    data_gb             = 10
    requests_per_second = 5000
  }
`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(at("engine"), knownvalue.StringExact("valkey")),
				expect(at("replicas_per_shard"), knownvalue.Int64Exact(1)),
				expect(at("node_count"), knownvalue.Int64Exact(4)),
				// 4 x 0.219 x 0.8 x 1.11 (0.1945) x 730 = 567.94; 6 x 10 GB x 0.085 = 5.10.
				expect(at("cost", "breakdown", "nodes"), knownvalue.Float64Exact(567.94)),
				expect(at("cost", "breakdown", "backups"), knownvalue.Float64Exact(5.1)),
				expect(at("cost", "monthly_usd"), knownvalue.Float64Exact(573.04)),
				expect(at("cost", "source"), knownvalue.StringExact("catalog")),
				expect(at("recommendations"), kinds("reserved_nodes", "provisioned")),
			},
		},
	}))
}

// TestAccCostEstimate_rateLimiter is seeds/001's Scenario 2 (Redis serverless, 1,000
// requests/s, 1 GB, steady): serverless costs 100.19 USD a month from the catalog; nodes with
// 1-year reservations cost 68.33, so the recommendation is provisioned.
func TestAccCostEstimate_rateLimiter(t *testing.T) {
	resource.ParallelTest(t, catalogCase([]resource.TestStep{{
		Config: estimateConfig(`
  mode   = "serverless"
  engine = "redis"
  expected_load = {
    data_gb             = 1
    requests_per_second = 1000
    avg_request_kb      = 1
    pattern             = "steady"
  }
`),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(at("node_count"), knownvalue.Int64Exact(0)),
			expect(at("cost", "breakdown"), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"nodes": knownvalue.Float64Exact(0), "storage": knownvalue.Float64Exact(91.25),
				"ecpu": knownvalue.Float64Exact(8.94), "backups": knownvalue.Float64Exact(0),
				"cross_region_replication": knownvalue.Float64Exact(0),
			})),
			expect(at("cost", "monthly_usd"), knownvalue.Float64Exact(100.19)),
			expect(at("recommendations"), knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
				"kind":                knownvalue.StringExact("provisioned"),
				"monthly_savings_usd": knownvalue.Float64Exact(31.86),
				"summary":             knownvalue.StringRegexp(regexp.MustCompile(`2 x cache\.t4g\.medium.*\$68\.33/month with 1-year No Upfront reserved nodes.*serverless costs 1\.47x as much`)),
			})})),
		},
	}}))
}

// TestAccCostEstimate_spikyAndRightSize: spiky -> serverless (nodes must hold the peak), and an
// oversized node type -> right_size.
func TestAccCostEstimate_spikyAndRightSize(t *testing.T) {
	resource.ParallelTest(t, catalogCase([]resource.TestStep{
		{
			Config: estimateConfig(`
  mode = "serverless"
  serverless_limits = {
    max_data_gb         = 100
    max_ecpu_per_second = 200000
  }
  expected_load = {
    data_gb             = 5
    requests_per_second = 2000
    avg_request_kb      = 4
    pattern             = "spiky"
    peak_to_average     = 20
  }
`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(at("cost", "monthly_usd"), knownvalue.Float64Exact(354.96)),
				expect(at("recommendations"), knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
					"kind":                knownvalue.StringExact("serverless"),
					"monthly_savings_usd": knownvalue.Float64Exact(0),
					"summary":             knownvalue.StringRegexp(regexp.MustCompile(`^Serverless fits this spiky load.*2 x cache\.m7g\.2xlarge.*\$735\.84/month on demand`)),
				})})),
			},
		},
		{
			Config: estimateConfig(`
  engine             = "redis"
  node_type          = "cache.r7g.4xlarge"
  expected_load = {
    data_gb             = 2
    requests_per_second = 1000
  }
`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(at("cost", "monthly_usd"), knownvalue.Float64Exact(2547.7)),
				expect(at("recommendations"), kinds("reserved_nodes", "provisioned", "right_size")),
				expect(at("recommendations", 2), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"kind":                knownvalue.StringExact("right_size"),
					"monthly_savings_usd": knownvalue.Float64Exact(2227.96),
					"summary":             knownvalue.StringRegexp(regexp.MustCompile(`cache\.r7g\.large \(9\.8 GiB usable\) holds it`)),
				})),
			},
		},
	}))
}

// TestAccCostEstimate_validation: invalid input fails at plan time with a message naming the
// attribute and the valid choices.
func TestAccCostEstimate_validation(t *testing.T) {
	step := func(body string, want string) resource.TestStep {
		return resource.TestStep{
			Config:      estimateConfig(body),
			ExpectError: regexp.MustCompile(want),
		}
	}
	resource.ParallelTest(t, catalogCase([]resource.TestStep{
		step(`mode = "dedicated"`, `(?s)value must be one of:.*"provisioned".*"serverless"`),
		step(`engine = "dragonfly"`, `(?s)value must be one of:.*"memcached".*"redis".*"valkey"`),
		step(`engine = "redis"`, `(?s)node_type is required when mode is "provisioned".*cache\.r7g\.large`),
		step(`node_type = "cache.r7g.huge"`, `(?s)unknown node type "cache\.r7g\.huge": valid r7g node types are\s+cache\.r7g\.large,`),
		step(`node_type = "cache.x1.large"`, `(?s)family one of m4, m5, m6g,`),
		step(`region = "mars-1"
node_type = "cache.r7g.large"`, `(?s)unknown region "mars-1": the built-in price catalog covers\s+ap-southeast-1,\s+eu-central-1`),
		step(`engine = "memcached"
node_type = "cache.r6gd.xlarge"`, `(?s)r6gd family \(data tiering\) runs valkey and\s+redis only`),
		step(`engine = "memcached"
node_type = "cache.r7g.large"
replicas_per_shard = 1`, `(?s)replicas_per_shard must be 0 for engine = "memcached"`),
		step(`node_type = "cache.r7g.large"
shards = 0`, `(?s)shards.*value must be between 1 and 500`),
		step(`node_type = "cache.r7g.large"
snapshot_retention_days = 40`, `(?s)value must be between 0 and 35`),
		step(`node_type = "cache.r7g.large"
autoscaling = { max_replicas_per_shard = 0 }`, `(?s)Autoscaling ceiling below the floor.*at least shards \(1\)\s+and\s+replicas_per_shard \(1\)`),
		step(`mode = "serverless"
expected_load = {
  data_gb = 1
  requests_per_second = 10
  pattern = "bursty"
}`, `(?s)value must be one of:.*"steady".*"spiky"`),
		step(`mode = "serverless"
expected_load = {
  data_gb = 1
  requests_per_second = 10
  peak_to_average = 0.5
}`, `(?s)peak_to_average.*value must be at least 1`),
		step(`node_type = "cache.r7g.large"
expected_load = { data_gb = 1, requests_per_second = 10, write_fraction = 1.5 }`, `(?s)write_fraction value must be between 0\.0+ and\s+1\.0+, got: 1\.5`),
	}))
}

// liveR7gLargeEstimate estimates 3 cache.r7g.large Redis nodes (one shard, two replicas) with
// live_pricing against the emulator at url, and checks the state with checks.
func liveR7gLargeEstimate(url string, checks ...statecheck.StateCheck) resource.TestCase {
	return resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: liveProviderBlock(url) + `
data "elasticache_cost_estimate" "test" {
  engine             = "redis"
  node_type          = "cache.r7g.large"
  replicas_per_shard = 2
}
`,
			ConfigStateChecks: checks,
		}},
	}
}

// TestAccCostEstimate_livePricing reads the emulator's own fixture prices through the Pricing
// API (cache.r7g.large Redis: $0.2000/h, so 3 nodes cost 438.00 USD a month) and its reserved
// offerings (3 y All Upfront at 41 % of on-demand: 59 % saving).
func TestAccCostEstimate_livePricing(t *testing.T) {
	emu := costtest.Require(t)
	resource.ParallelTest(t, liveR7gLargeEstimate(emu.URL,
		expect(at("cost", "monthly_usd"), knownvalue.Float64Exact(438)),
		expect(at("cost", "hourly_usd"), knownvalue.Float64Exact(0.6)),
		expect(at("cost", "source"), knownvalue.StringExact("pricing-api")),
		expect(at("cost", "as_of"), knownvalue.StringExact("2025-01-01")),
		expect(at("recommendations", 0, "summary"), knownvalue.StringRegexp(regexp.MustCompile(`3 years, All Upfront.*\(59 % saving`))),
	))
}

// TestAccCostEstimate_livePricingFallback: with the Pricing endpoint failing, the estimate comes
// from the catalog and says why.
func TestAccCostEstimate_livePricingFallback(t *testing.T) {
	emu := costtest.Require(t)
	emu.InjectFaults(t, costtest.Fault{Service: "pricing", Operation: "GetProducts", HTTPStatus: 500, ErrorCode: "InternalError", Count: 100})
	resource.Test(t, liveR7gLargeEstimate(emu.URL,
		expect(at("cost", "monthly_usd"), knownvalue.Float64Exact(479.61)),
		expect(at("cost", "source"), knownvalue.StringExact("catalog (pricing-api failed: InternalError)")),
		expect(at("cost", "as_of"), knownvalue.StringExact(cost.DefaultCatalog().AsOf())),
		expect(at("recommendations", 0, "monthly_savings_usd"), knownvalue.Float64Exact(263.79)),
	))
}

// TestAccCostEstimate_example runs the documentation example
// (examples/data-sources/elasticache_cost_estimate/data-source.tf) so it stays valid.
func TestAccCostEstimate_example(t *testing.T) {
	example, err := os.ReadFile(filepath.Join("..", "..", "examples", "data-sources", "elasticache_cost_estimate", "data-source.tf"))
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, catalogCase([]resource.TestStep{{
		Config: providerBlock + string(example),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.elasticache_cost_estimate.sessions", at("recommendations"), kinds("reserved_nodes", "provisioned")),
			statecheck.ExpectKnownValue("data.elasticache_cost_estimate.sessions", at("cost", "source"), knownvalue.StringExact("catalog")),
			statecheck.ExpectKnownValue("data.elasticache_cost_estimate.prompt_cache", at("recommendations"), kinds("serverless")),
			statecheck.ExpectKnownOutputValueAtPath("monthly_usd", at("prompt_cache"), knownvalue.NotNull()),
		},
	}}))
}
