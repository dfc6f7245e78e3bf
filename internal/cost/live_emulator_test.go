package cost

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/pricing"

	"github.com/cachestack/terraform-provider-elasticache/internal/cost/costtest"
)

// The tests in this file run against the bundled emulator (TF_ACC=1).
// Its Pricing GetProducts and DescribeReservedCacheNodesOfferings serve fixture prices that are
// deliberately not AWS's (test/emulator/fixtures/prices.json): cache.r7g.large Redis $0.2000/h,
// Valkey x 0.8, eu-west-1 x 1.1; reserved at 70/64/62 % (1 y) and 50/44/41 % (3 y) of
// on-demand.

func emulatorSource(t *testing.T) (*costtest.Emulator, *LiveSource) {
	t.Helper()
	emu := costtest.Require(t)
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	p := pricing.NewFromConfig(cfg, func(o *pricing.Options) { o.BaseEndpoint = aws.String(emu.URL) })
	ec := elasticache.NewFromConfig(cfg, func(o *elasticache.Options) { o.BaseEndpoint = aws.String(emu.URL) })
	return emu, NewLiveSource(p, ec, nil)
}

func TestLiveSourceEmulatorPrices(t *testing.T) {
	emu, live := emulatorSource(t)
	emu.ClearRequests(t)
	src := live.WithContext(t.Context())

	for _, tc := range []struct {
		region, engine, node string
		want                 float64
	}{
		{"us-east-1", "redis", "cache.r7g.large", 0.2},
		{"us-east-1", "valkey", "cache.r7g.large", 0.16},
		{"eu-west-1", "redis", "cache.r7g.large", 0.22},
		{"us-east-2", "redis", "cache.m7g.large", 0.15}, // not in the catalog: live only
	} {
		p, err := src.NodePrice(tc.region, tc.engine, tc.node)
		if err != nil {
			t.Fatal(err)
		}
		if !near(roundTo(p.USD, 6), tc.want) || p.Origin != OriginPricingAPI || p.AsOf != "2025-01-01" || p.FallbackReason != "" {
			t.Errorf("%s %s %s = %+v, want the emulator's %v from the pricing API", tc.region, tc.engine, tc.node, p, tc.want)
		}
	}

	e, err := EstimateProvisioned(src, ProvisionedSpec{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", Nodes: 3})
	if err != nil {
		t.Fatal(err)
	}
	if e.MonthlyUSD != 438 || e.HourlyUSD != 0.6 || e.Source != "pricing-api" || e.AsOf != "2025-01-01" {
		t.Errorf("estimate = %+v, want 3 x 0.2000 x 730 = 438.00 from pricing-api", e)
	}
	// Memoized: the us-east-1 Redis r7g.large price was asked once.
	if n := emu.Count(t, "pricing", "GetProducts"); n != 4 {
		t.Errorf("GetProducts calls = %d, want 4 (one per distinct price)", n)
	}

	s, err := src.ServerlessPrice("us-east-1", "valkey")
	if err != nil || !near(roundTo(s.DataStored.USD, 6), 0.09) || !near(roundTo(s.ECPU.USD, 6), 0.0025) || s.MinimumDataGB != 0.1 || s.ECPU.Origin != OriginPricingAPI {
		t.Errorf("serverless = %+v, %v", s, err)
	}
	se, _ := EstimateServerless(src, ServerlessSpec{Region: "us-east-1", Engine: "valkey", DataGB: 10, ECPUPerSecond: 1000})
	// 10 x 0.09 x 730 = 657.00; 1,000 x 2,628,000 / 1e6 x 0.0025 = 6.57.
	if se.Breakdown.Storage != 657 || se.Breakdown.ECPU != 6.57 || se.Source != "pricing-api" {
		t.Errorf("serverless estimate = %+v", se)
	}

	offers, err := src.ReservedOfferings("us-east-1", "redis", "cache.r7g.large")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"1/No Upfront": 30, "1/Partial Upfront": 36, "1/All Upfront": 38, "3/No Upfront": 50, "3/Partial Upfront": 56, "3/All Upfront": 59}
	if len(offers) != 6 {
		t.Fatalf("offerings = %+v", offers)
	}
	for _, o := range offers {
		key := strings.Join([]string{string(rune('0' + o.TermYears)), o.PaymentOption}, "/")
		if got := roundTo(o.SavingsFraction()*100, 0); got != want[key] || o.Origin != OriginPricingAPI || o.OnDemandHourlyUSD != offers[0].OnDemandHourlyUSD {
			t.Errorf("%s: savings %v %%, want the emulator's %v %% (%+v)", key, got, want[key], o)
		}
	}
	if n := emu.Count(t, "elasticache", "DescribeReservedCacheNodesOfferings"); n < 1 {
		t.Errorf("DescribeReservedCacheNodesOfferings was not called")
	}
}

func TestLiveSourceEmulatorPricingFault(t *testing.T) {
	emu, live := emulatorSource(t)
	emu.InjectFaults(t, costtest.Fault{Service: "pricing", Operation: "GetProducts", HTTPStatus: 500, ErrorCode: "InternalError", Count: 100})
	emu.ClearRequests(t)
	src := live.WithContext(t.Context())

	e, err := EstimateProvisioned(src, ProvisionedSpec{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", Nodes: 3})
	if err != nil {
		t.Fatal(err)
	}
	if e.MonthlyUSD != 479.61 || e.Source != "catalog (pricing-api failed: InternalError)" || e.AsOf != DefaultCatalog().AsOf() {
		t.Errorf("estimate = %+v, want the catalog's 479.61 with the failure in Source", e)
	}
	p, _ := src.NodePrice("us-east-1", "redis", "cache.r7g.large")
	if !strings.Contains(p.FallbackReason, "InternalError") {
		t.Errorf("FallbackReason = %q", p.FallbackReason)
	}
	// Bounded retries: two attempts, then the catalog; memoized afterwards.
	if n := emu.Count(t, "pricing", "GetProducts"); n != 2 {
		t.Errorf("GetProducts attempts = %d, want 2", n)
	}
	// Reserved offerings follow the on-demand price to the catalog.
	offers, _ := src.ReservedOfferings("us-east-1", "redis", "cache.r7g.large")
	if len(offers) != 6 || offers[0].Origin != OriginCatalog || offers[0].FallbackCode != "InternalError" {
		t.Errorf("offerings = %+v", offers)
	}
	se, _ := EstimateServerless(src, ServerlessSpec{Region: "us-east-1", Engine: "redis"})
	if se.MonthlyUSD != 91.25 || se.Source != "catalog (pricing-api failed: InternalError)" {
		t.Errorf("serverless = %+v", se)
	}
}

// TestLiveSourceEmulatorUnknownNodeType: the emulator prices a handful of node types; for the
// others the price list is empty and the catalog answers.
func TestLiveSourceEmulatorUnknownNodeType(t *testing.T) {
	_, live := emulatorSource(t)
	e, err := EstimateProvisioned(live.WithContext(t.Context()), ProvisionedSpec{Region: "us-east-1", Engine: "redis", NodeType: "cache.r5.large", Nodes: 1})
	if err != nil || e.MonthlyUSD != 157.68 || e.Source != "catalog (pricing-api failed: NoPrice)" {
		t.Errorf("estimate = %+v, %v", e, err)
	}
}
