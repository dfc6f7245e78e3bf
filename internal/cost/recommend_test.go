package cost

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

func kinds(rs []Recommendation) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Kind)
	}
	return out
}

// recommendKinds returns Recommend(src, in), failing the test unless its kinds are want, in order.
func recommendKinds(t *testing.T, src PriceSource, in RecommendInput, want ...string) []Recommendation {
	t.Helper()
	rs := Recommend(src, in)
	if !reflect.DeepEqual(kinds(rs), want) {
		t.Fatalf("kinds = %v, want %v", kinds(rs), want)
	}
	return rs
}

func find(t *testing.T, rs []Recommendation, kind string) Recommendation {
	t.Helper()
	for _, r := range rs {
		if r.Kind == kind {
			return r
		}
	}
	t.Fatalf("no %s recommendation in %v", kind, kinds(rs))
	return Recommendation{}
}

func mustContain(t *testing.T, s string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			t.Errorf("%q\n  does not contain %q", s, p)
		}
	}
}

// TestReservedNodesRecommendation: 3 x cache.r7g.large Redis OSS (the seeds/003 deployment at
// the catalog's published price): the best option is 3 years All Upfront (55 %), with its
// upfront payment, effective monthly cost and break-even month.
func TestReservedNodesRecommendation(t *testing.T) {
	rs := recommendKinds(t, DefaultCatalog(), RecommendInput{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", ReplicasPerShard: 2}, KindReservedNodes)
	r := rs[0]
	// On demand 479.61; 3 y All Upfront: 3 x 2,589.89 upfront, effective 215.82 a month.
	if r.MonthlySavingsUSD != 263.79 {
		t.Errorf("savings = %v, want 263.79", r.MonthlySavingsUSD)
	}
	mustContain(t, r.Summary, "Reserve 3 x cache.r7g.large for 3 years, All Upfront", "$7,769.67 upfront", "$215.82/month effective",
		"$479.61/month on demand", "55 % saving", "breaks even in month 17 of 36", "1 year, No Upfront saves 28 % ($134.29/month)")

	// The seed's own price: 361.35 on demand, 55 % = 198.74 saved.
	seed := overrideSource{PriceSource: DefaultCatalog(), nodes: map[string]float64{"cache.r7g.large": 0.165}}
	r = Recommend(seed, RecommendInput{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", ReplicasPerShard: 2})[0]
	if want := 198.74; math.Abs(r.MonthlySavingsUSD-want) > 0.011 {
		t.Errorf("seed price savings = %v, want %v", r.MonthlySavingsUSD, want)
	}
}

// TestBestReservedOffering picks the highest savings, then the smaller upfront.
func TestBestReservedOffering(t *testing.T) {
	a := ReservedOffering{TermYears: 1, PaymentOption: NoUpfront, HourlyUSD: 0.5, OnDemandHourlyUSD: 1}
	b := ReservedOffering{TermYears: 1, PaymentOption: AllUpfront, UpfrontUSD: 0.5 * 8760, OnDemandHourlyUSD: 1}
	if got, ok := BestReservedOffering([]ReservedOffering{b, a}); !ok || got.PaymentOption != NoUpfront {
		t.Errorf("tie: %+v", got)
	}
	if _, ok := BestReservedOffering([]ReservedOffering{{TermYears: 1, HourlyUSD: 2, OnDemandHourlyUSD: 1}}); ok {
		t.Error("an offering that saves nothing is no recommendation")
	}
	if _, ok := BestReservedOffering(nil); ok {
		t.Error("no offerings")
	}
}

// TestSeedRateLimiterScenario is seeds/001's Scenario 2: a Redis serverless rate limiter at
// 1,000 requests/s (about 1 KB each, so 1 ECPU each) holding 1 GB, against node-based Redis.
//
// The seed's arithmetic: 2.6 B requests a month cost 156 USD of ECPUs ($0.06 per million) and
// 1 GB costs 0.086 USD ($0.000118 per GB-hour); nodes cost 69 USD a month; "serverless is 2.2x
// more expensive". The test reproduces that with the seed's prices (730 h make it 2.628 B
// requests and 157.68 USD).
//
// With the catalog's published prices the storage minimum dominates: 91.25 + 8.94 = 100.19 USD
// serverless against 2 x cache.t4g.medium (primary + replica, sized for 1 GB with headroom) at
// 94.90 USD on demand or 68.33 USD with 1-year No Upfront reservations. The seed's conclusion
// holds (steady -> provisioned; serverless is the dearer choice, 1.47x instead of 2.2x).
func TestSeedRateLimiterScenario(t *testing.T) {
	load := &ExpectedLoad{DataGB: 1, RequestsPerSecond: 1000, AvgRequestKB: 1, Pattern: PatternSteady}

	t.Run("seed prices", func(t *testing.T) {
		seed := overrideSource{
			PriceSource: DefaultCatalog(),
			nodes:       map[string]float64{"cache.r6g.large": 69.0 / HoursPerMonth},
			serverless: &ServerlessPrice{
				DataStored:    Price{USD: 0.086 / HoursPerMonth, Unit: UnitGBHour},
				ECPU:          Price{USD: 0.06, Unit: UnitMillionECPUs},
				MinimumDataGB: 1,
			},
		}
		sless, err := EstimateServerless(seed, ServerlessSpec{Region: "us-east-1", Engine: "redis", DataGB: 1, ECPUPerSecond: load.RequestsPerSecond * ECPUPerRequest(load.AvgRequestKB)})
		if err != nil {
			t.Fatal(err)
		}
		if sless.Breakdown.ECPU != 157.68 || sless.Breakdown.Storage != 0.09 || sless.MonthlyUSD != 157.77 {
			t.Errorf("seed serverless = %+v, want 157.68 ECPU + 0.09 storage", sless)
		}
		// 2.6 M seconds (the seed's month) instead of 730 h: exactly the seed's 156.
		if got := 2.6e6 * 1000 / 1e6 * 0.06; math.Abs(got-156) > 1e-9 {
			t.Errorf("seed month: %v", got)
		}
		nodes, _ := EstimateProvisioned(seed, ProvisionedSpec{Region: "us-east-1", Engine: "redis", NodeType: "cache.r6g.large", Nodes: 1})
		if nodes.MonthlyUSD != 69 {
			t.Errorf("seed nodes = %v", nodes.MonthlyUSD)
		}
		if ratio := sless.MonthlyUSD / nodes.MonthlyUSD; ratio < 2.2 || ratio >= 2.3 {
			t.Errorf("serverless / nodes = %.3f, seed says 2.2x", ratio)
		}
	})

	t.Run("catalog", func(t *testing.T) {
		sless, _ := EstimateServerless(nil, ServerlessSpec{Region: "us-east-1", Engine: "redis", DataGB: 1, ECPUPerSecond: 1000})
		if sless.Breakdown.Storage != 91.25 || sless.Breakdown.ECPU != 8.94 || sless.MonthlyUSD != 100.19 {
			t.Errorf("catalog serverless = %+v", sless)
		}
		dep, ok := SizeProvisioned(DefaultCatalog(), "us-east-1", "redis", 1, *load)
		if !ok || dep.NodeType != "cache.t4g.medium" || dep.Shards != 1 || dep.Nodes() != 2 || cents(dep.MonthlyUSD()) != 94.90 {
			t.Errorf("sized = %+v (%v)", dep, dep.MonthlyUSD())
		}

		// As configured in the seed (serverless), the recommendation is provisioned + reserved.
		rs := recommendKinds(t, nil, RecommendInput{Region: "us-east-1", Engine: "redis", Mode: blueprint.ModeServerless, Load: load}, KindProvisioned)
		r := rs[0]
		if r.MonthlySavingsUSD != 31.86 { // 100.19 - 68.33
			t.Errorf("savings = %v, want 31.86", r.MonthlySavingsUSD)
		}
		mustContain(t, r.Summary, "Provisioned nodes fit this steady load", "2 x cache.t4g.medium (1 shard, 1 replica)", "$94.90/month on demand",
			"$68.33/month with 1-year No Upfront reserved nodes", "serverless redis costs $100.19/month", "serverless costs 1.47x as much", "see reserved_nodes")
	})
}

// TestSpikyLoadRecommendsServerless: the seeds' "spiky -> serverless". Nodes must hold the
// peak (20x the average) and are priced on demand.
func TestSpikyLoadRecommendsServerless(t *testing.T) {
	in := RecommendInput{Region: "us-east-1", Engine: "valkey", NodeType: "cache.r7g.large", ReplicasPerShard: 1,
		Load: &ExpectedLoad{DataGB: 5, RequestsPerSecond: 2000, AvgRequestKB: 4, Pattern: PatternSpiky, PeakToAverage: 20}}
	rs := recommendKinds(t, nil, in, KindReservedNodes, KindServerless)
	r := rs[1]
	// Serverless: 5 GB x 0.084 x 730 = 306.60 + 8,000 ECPU/s = 48.36 -> 354.96. The configured
	// 2 x r7g.large cannot hold 160,000 ECPU/s; 2 x m7g.2xlarge can (735.84 on demand).
	// Savings against the configured 2 x r7g.large (255.79): none.
	if r.MonthlySavingsUSD != 0 {
		t.Errorf("savings = %v", r.MonthlySavingsUSD)
	}
	mustContain(t, r.Summary, "Serverless fits this spiky load", "peaks 20x the average", "serverless valkey costs $354.96/month",
		"peak of 160000 ECPU/s", "2 x cache.m7g.2xlarge (1 shard, 1 replica)", "$735.84/month on demand", "the nodes cost 2.07x as much")

	// The same load from a bigger, configured deployment saves money by going serverless.
	in.NodeType, in.Shards = "cache.m7g.4xlarge", 1
	r = find(t, Recommend(nil, in), KindServerless)
	if r.MonthlySavingsUSD != 1116.72 { // 2 x 1.26 x 0.8 x 730 = 1,471.68 - 354.96
		t.Errorf("savings from m7g.4xlarge = %v", r.MonthlySavingsUSD)
	}
	mustContain(t, r.Summary, "the configured 2 x cache.m7g.4xlarge (1 shard, 1 replica) hold it too, for $1,471.68/month")

	// Configured nodes that hold the peak and cost no more than a sized deployment are the
	// ones compared.
	in.NodeType = "cache.m7g.2xlarge"
	r = find(t, Recommend(nil, in), KindServerless)
	mustContain(t, r.Summary, "nodes as configured, which hold the peak", "2 x cache.m7g.2xlarge")

	// Spiky without a ratio assumes 3x.
	small := Recommend(nil, RecommendInput{Region: "us-east-1", Engine: "valkey", Mode: blueprint.ModeServerless, Load: &ExpectedLoad{DataGB: 1, RequestsPerSecond: 100, Pattern: PatternSpiky}})
	r = find(t, small, KindServerless)
	mustContain(t, r.Summary, "Serverless fits this spiky load", "peaks 3x the average", "peak of 300 ECPU/s")
	if r.MonthlySavingsUSD != 0 {
		t.Errorf("already serverless: savings = %v", r.MonthlySavingsUSD)
	}
	// Where nodes sized for the peak still cost less, the cost decides: Redis serverless bills
	// 1 GB at least (91.25) + 4.47 of ECPUs; 2 x t4g.medium cost 94.90.
	r = find(t, Recommend(nil, RecommendInput{Region: "us-east-1", Engine: "redis", Mode: blueprint.ModeServerless,
		Load: &ExpectedLoad{DataGB: 1, RequestsPerSecond: 500, Pattern: PatternSpiky, PeakToAverage: 2}}), KindProvisioned)
	mustContain(t, r.Summary, "Although this load is spiky", "nodes sized for its peak cost less than serverless", "$94.90/month on demand")
	if strings.Contains(r.Summary, "reserved") || r.MonthlySavingsUSD != 0.82 {
		t.Errorf("spiky loads price nodes on demand: savings %v, %q", r.MonthlySavingsUSD, r.Summary)
	}
}

// TestSteadyLoadRecommendsProvisioned: "steady -> nodes + reservations".
func TestSteadyLoadRecommendsProvisioned(t *testing.T) {
	rs := Recommend(nil, RecommendInput{Region: "us-east-1", Engine: "valkey", Mode: blueprint.ModeServerless,
		Load: &ExpectedLoad{DataGB: 5, RequestsPerSecond: 2000, AvgRequestKB: 4}})
	r := find(t, rs, KindProvisioned)
	// 2 x r7g.large valkey: 255.79 on demand, 184.17 reserved; serverless 354.96.
	if r.MonthlySavingsUSD != 170.79 {
		t.Errorf("savings = %v", r.MonthlySavingsUSD)
	}
	mustContain(t, r.Summary, "2 x cache.r7g.large (1 shard, 1 replica)", "$255.79/month on demand", "$184.17/month with 1-year No Upfront")

	// A steady load so small that serverless (Valkey, 100 MB minimum) wins.
	rs = Recommend(nil, RecommendInput{Region: "us-east-1", Engine: "valkey", NodeType: "cache.t4g.micro", ReplicasPerShard: 1,
		Load: &ExpectedLoad{DataGB: 0.05, RequestsPerSecond: 5}})
	r = find(t, rs, KindServerless)
	mustContain(t, r.Summary, "Although this load is steady", "serverless costs less")
	if r.MonthlySavingsUSD != 12.53 { // 2 x 0.0128 x 730 = 18.69 - (6.13 for the 0.1 GB minimum + 0.03 of ECPUs)
		t.Errorf("savings = %v", r.MonthlySavingsUSD)
	}
}

// TestRightSize: 2 GB on cache.r7g.4xlarge (79.36 GiB usable) is under 25 %: cache.r7g.large
// holds it with headroom.
func TestRightSize(t *testing.T) {
	in := RecommendInput{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.4xlarge", ReplicasPerShard: 1,
		Load: &ExpectedLoad{DataGB: 2, RequestsPerSecond: 1000}}
	rs := recommendKinds(t, nil, in, KindReservedNodes, KindProvisioned, KindRightSize)
	r := rs[2]
	if r.MonthlySavingsUSD != 2227.96 { // (1.745 - 0.219) x 2 x 730
		t.Errorf("savings = %v", r.MonthlySavingsUSD)
	}
	mustContain(t, r.Summary, "fills 3 % of the usable memory of each cache.r7g.4xlarge shard", "79.36 of 105.81 GiB",
		"cache.r7g.large (9.8 GiB usable)", "$319.74/month instead of $2,547.70/month")
	// The mode comparison uses a right-sized deployment, not the oversized one.
	p := rs[1]
	if p.MonthlySavingsUSD != 0 {
		t.Errorf("provisioned savings = %v", p.MonthlySavingsUSD)
	}
	mustContain(t, p.Summary, "2 x cache.m7g.large", "the configured 2 x cache.r7g.4xlarge (1 shard, 1 replica) hold it too, for $2,547.70/month")

	// Sharded: 60 GB over 4 shards of r7g.4xlarge is 15 GB a shard (19 %): r7g.2xlarge
	// (27.7 GiB with headroom) holds it.
	in.Shards, in.Load = 4, &ExpectedLoad{DataGB: 60, RequestsPerSecond: 1000}
	r = find(t, Recommend(nil, in), KindRightSize)
	mustContain(t, r.Summary, "cache.r7g.2xlarge", "8 nodes")
	// The peak rate matters too: 150,000 ECPU/s a shard needs 8 vCPUs.
	in.Shards, in.Load = 1, &ExpectedLoad{DataGB: 2, RequestsPerSecond: 150000}
	r = find(t, Recommend(nil, in), KindRightSize)
	mustContain(t, r.Summary, "cache.r7g.2xlarge")

	// No right-sizing at 25 % or more, without data, or for the smallest size.
	for _, in := range []RecommendInput{
		{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", Load: &ExpectedLoad{DataGB: 2.5}},
		{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.4xlarge", Load: &ExpectedLoad{RequestsPerSecond: 10}},
		{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", Load: &ExpectedLoad{DataGB: 0.1}},
		{Region: "us-east-1", Engine: "redis", NodeType: "cache.nope.large", Load: &ExpectedLoad{DataGB: 0.1}},
	} {
		for _, r := range Recommend(nil, in) {
			if r.Kind == KindRightSize {
				t.Errorf("%s with %+v: unexpected right_size %q", in.NodeType, *in.Load, r.Summary)
			}
		}
	}
}

func TestRecommendEdgeCases(t *testing.T) {
	// Unknown engine or bad load: nothing, or only what needs no load.
	if rs := Recommend(nil, RecommendInput{Region: "us-east-1", Engine: "x", NodeType: "cache.r7g.large"}); len(rs) != 0 {
		t.Errorf("unknown engine: %v", rs)
	}
	rs := Recommend(nil, RecommendInput{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", Load: &ExpectedLoad{Pattern: "bursty"}})
	if !reflect.DeepEqual(kinds(rs), []string{KindReservedNodes}) {
		t.Errorf("bad load: %v", kinds(rs))
	}
	// Unknown region: nothing can be priced.
	if rs := Recommend(nil, RecommendInput{Region: "us-east-9", Engine: "redis", NodeType: "cache.r7g.large", Load: &ExpectedLoad{DataGB: 1}}); len(rs) != 0 {
		t.Errorf("unknown region: %v", kinds(rs))
	}
	// Serverless without load: no recommendations; provisioned without a node type: none either.
	if rs := Recommend(nil, RecommendInput{Region: "us-east-1", Engine: "redis", Mode: blueprint.ModeServerless}); len(rs) != 0 {
		t.Errorf("serverless without load: %v", kinds(rs))
	}
	if rs := Recommend(nil, RecommendInput{Region: "us-east-1", Engine: "redis"}); len(rs) != 0 {
		t.Errorf("no node type: %v", kinds(rs))
	}
	// Memcached sizes without replicas.
	r := find(t, Recommend(nil, RecommendInput{Region: "us-east-1", Engine: "memcached", Mode: blueprint.ModeServerless, Load: &ExpectedLoad{DataGB: 50, RequestsPerSecond: 10000}}), KindProvisioned)
	mustContain(t, r.Summary, "0 replicas")
	// A load too big for 500 nodes cannot be sized: no mode recommendation.
	if rs := Recommend(nil, RecommendInput{Region: "us-east-1", Engine: "redis", Mode: blueprint.ModeServerless, Load: &ExpectedLoad{DataGB: 1e6}}); len(rs) != 0 {
		t.Errorf("huge load: %v", kinds(rs))
	}
	// Deterministic: the same input gives the same output.
	in := RecommendInput{Region: "eu-west-1", Engine: "valkey", NodeType: "cache.r6g.2xlarge", Shards: 2, ReplicasPerShard: 2, SnapshotRetentionDays: 7,
		Load: &ExpectedLoad{DataGB: 4, RequestsPerSecond: 3000, AvgRequestKB: 2, Pattern: PatternSpiky, PeakToAverage: 4}}
	first := Recommend(nil, in)
	for i := 0; i < 20; i++ {
		if again := Recommend(nil, in); !reflect.DeepEqual(first, again) {
			t.Fatalf("not deterministic:\n%v\n%v", first, again)
		}
	}
	if !reflect.DeepEqual(kinds(first), []string{KindReservedNodes, KindServerless, KindRightSize}) {
		t.Errorf("kinds = %v", kinds(first))
	}
}

func TestNormalizeLoad(t *testing.T) {
	l, err := NormalizeLoad(ExpectedLoad{DataGB: 1, RequestsPerSecond: 10})
	if err != nil || l.Pattern != PatternSteady || l.AvgRequestKB != 1 || l.PeakToAverage != 1 {
		t.Errorf("defaults: %+v, %v", l, err)
	}
	l, _ = NormalizeLoad(ExpectedLoad{Pattern: "SPIKY"})
	if l.Pattern != PatternSpiky || l.PeakToAverage != 3 {
		t.Errorf("spiky defaults: %+v", l)
	}
	for _, bad := range []ExpectedLoad{{Pattern: "bursty"}, {DataGB: -1}, {RequestsPerSecond: math.NaN()}, {PeakToAverage: 0.5}, {WriteFraction: -0.1}, {WriteFraction: 1.5}} {
		if _, err := NormalizeLoad(bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
	_, err = NormalizeLoad(ExpectedLoad{Pattern: "bursty"})
	mustContain(t, err.Error(), "steady, spiky")
	_, err = NormalizeLoad(ExpectedLoad{WriteFraction: 1.5})
	mustContain(t, err.Error(), "write_fraction", "between 0 and 1")
	// ECPU: 1 per KB, at least 1 per request.
	if ECPUPerRequest(0.2) != 1 || ECPUPerRequest(3.2) != 3.2 {
		t.Error("ECPUPerRequest")
	}
	if got := (ExpectedLoad{RequestsPerSecond: 100, AvgRequestKB: 2, PeakToAverage: 5}).PeakECPUPerSecond(); got != 1000 {
		t.Errorf("peak = %v", got)
	}
}

func TestFormatting(t *testing.T) {
	for x, want := range map[float64]string{0: "$0.00", 7769.674: "$7,769.67", 1234567.891: "$1,234,567.89", -12.5: "-$12.50", 999.999: "$1,000.00", 100: "$100.00"} {
		if got := usd(x); got != want {
			t.Errorf("usd(%v) = %q, want %q", x, got, want)
		}
	}
	if pct(0.55) != "55 %" || pct(0.004) != "0.4 %" {
		t.Error("pct")
	}
	if num(2.50) != "2.5" || num(1000) != "1000" || num(0.05) != "0.05" {
		t.Error("num")
	}
	if years(1) != "1 year" || years(3) != "3 years" || plural(1) != "" || plural(2) != "s" {
		t.Error("years / plural")
	}
	if ratio("serverless", 1, 0) != "serverless costs more" {
		t.Error("ratio by zero")
	}
	if (Deployment{NodeType: "cache.r7g.large", Shards: 3, ReplicasPerShard: 1}).String() != "6 x cache.r7g.large (3 shards, 1 replica each)" {
		t.Error("Deployment.String")
	}
}
