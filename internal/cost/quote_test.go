package cost

import (
	"testing"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// An autoscaled group is priced at its configured count, with the range from the floor
// (minimum shards x (1 + minimum replicas)) to the ceiling; the reservation covers the floor.
func TestQuoteAutoscalingRange(t *testing.T) {
	// cache.r7g.large Redis OSS in us-east-1: 479.61 a month for 3 nodes, 159.87 a node.
	in := RecommendInput{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", Shards: 2, ReplicasPerShard: 1,
		ShardsMin: 2, ShardsMax: 4, ReplicasMin: 1, ReplicasMax: 2}
	est, recs := quote(t, in)
	// configured 2 x 2 = 4 nodes, floor 2 x 2 = 4, ceiling 4 x 3 = 12.
	if est.MonthlyUSD != 639.48 || est.MonthlyUSDMin != 639.48 || est.MonthlyUSDMax != 1918.44 || est.MaxUnbounded {
		t.Errorf("estimate = %+v, want 639.48 in [639.48, 1918.44]", est)
	}
	mustContain(t, recs[0].Summary, "Reserve 4 x cache.r7g.large", "the autoscaling floor; nodes above it, up to 12, run on demand")

	// Without autoscaling the range is the configured cost, and the reservation all nodes.
	in.ShardsMin, in.ShardsMax, in.ReplicasMin, in.ReplicasMax = 0, 0, 0, 0
	in.ReplicasPerShard = 2
	est, recs = quote(t, in)
	if est.MonthlyUSDMin != est.MonthlyUSD || est.MonthlyUSDMax != est.MonthlyUSD {
		t.Errorf("estimate = %+v, want a range of one value", est)
	}
	mustContain(t, recs[0].Summary, "Reserve 6 x cache.r7g.large")
}

// A serverless cache costs at least its floor (the engine's minimum data, the pre-scaling
// minimums) and at most its limits; without both limits nothing bounds it.
func TestQuoteServerlessRange(t *testing.T) {
	base := RecommendInput{Region: "us-east-1", Engine: "valkey", Mode: blueprint.ModeServerless}
	plain, _ := quote(t, base)
	if !plain.MaxUnbounded || plain.MonthlyUSDMin != plain.MonthlyUSD {
		t.Errorf("no limits: %+v, want min = monthly and no maximum", plain)
	}

	warm := base
	warm.MinDataGB, warm.MinECPUPerSecond = 10, 5000
	floor, _ := quote(t, warm)
	direct := serverlessMonthly(t, 10, 5000)
	if floor.MonthlyUSD != direct || floor.MonthlyUSDMin != direct || floor.MonthlyUSD <= plain.MonthlyUSD {
		t.Errorf("minimums 10 GB / 5000 ECPU/s: %+v, want the price of that usage (%v) as floor and estimate", floor, direct)
	}

	capped := warm
	capped.MaxDataGB, capped.MaxECPUPerSecond = 20, 10000
	capped.Load = &ExpectedLoad{DataGB: 1, RequestsPerSecond: 100}
	c, _ := quote(t, capped)
	top := serverlessMonthly(t, 20, 10000)
	if c.MaxUnbounded || c.MonthlyUSDMax != top || c.MonthlyUSDMin != direct || c.MonthlyUSD != direct {
		t.Errorf("limits 20 GB / 10000 ECPU/s with a load below the minimums: %+v, want [%v, %v] and the floor as estimate", c, direct, top)
	}
}

// quote is Quote from the catalog; an error stops the test.
func quote(t *testing.T, in RecommendInput) (Estimate, []Recommendation) {
	t.Helper()
	est, recs, err := Quote(DefaultCatalog(), in)
	if err != nil {
		t.Fatal(err)
	}
	return est, recs
}

// serverlessMonthly is the catalog's monthly price of a Valkey serverless cache in us-east-1
// holding dataGB and serving ecpu ECPU/s.
func serverlessMonthly(t *testing.T, dataGB, ecpu float64) float64 {
	t.Helper()
	e, err := EstimateServerless(DefaultCatalog(), ServerlessSpec{Region: "us-east-1", Engine: "valkey", DataGB: dataGB, ECPUPerSecond: ecpu})
	if err != nil {
		t.Fatal(err)
	}
	return e.MonthlyUSD
}

// A Global Datastore primary pays the inter-Region transfer of its writes to each secondary
// region, on top of every monthly figure; without a write share, or on any other deployment,
// the figures do not move.
func TestQuoteCrossRegionReplication(t *testing.T) {
	// 1,000 requests/s, a fifth of them 4 KB writes: 800 KB/s, 2,005.00 GB a month at $0.02.
	load := ExpectedLoad{RequestsPerSecond: 1000, WriteFraction: 0.2, AvgRequestKB: 4}
	if gb := CrossRegionReplicationGBPerMonth(load); gb < 2005.004 || gb > 2005.005 {
		t.Errorf("GB a month = %v, want 2005.0048828125", gb)
	}
	if usd := CrossRegionReplicationUSD(load); usd != 40.10 {
		t.Errorf("USD a month = %v, want 40.10", usd)
	}
	oneKB := ExpectedLoad{RequestsPerSecond: 1000, WriteFraction: 0.2} // avg_request_kb defaults to 1
	if usd := CrossRegionReplicationUSD(oneKB); usd != 10.03 {
		t.Errorf("1 KB writes: USD a month = %v, want 10.03 (501.25 GB)", usd)
	}
	// The autoscaled group of TestQuoteAutoscalingRange: 639.48 in [639.48, 1918.44].
	in := RecommendInput{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", Shards: 2, ReplicasPerShard: 1,
		ShardsMin: 2, ShardsMax: 4, ReplicasMin: 1, ReplicasMax: 2, Load: &load, ReplicaRegions: 2}
	est, _ := quote(t, in)
	if est.Breakdown.CrossRegionReplication != 80.20 || est.MonthlyUSD != 719.68 || est.MonthlyUSDMin != 719.68 ||
		est.MonthlyUSDMax != 1998.64 || est.HourlyUSD != 0.9859 {
		t.Errorf("two secondaries: %+v, want 80.20 of replication in 719.68 [719.68, 1998.64]", est)
	}
	for name, change := range map[string]func(*RecommendInput){
		"no write share":   func(in *RecommendInput) { l := load; l.WriteFraction = 0; in.Load = &l },
		"not a primary":    func(in *RecommendInput) { in.ReplicaRegions = 0 },
		"no expected load": func(in *RecommendInput) { in.Load = nil },
	} {
		plain := in
		change(&plain)
		est, _ := quote(t, plain)
		if est.Breakdown.CrossRegionReplication != 0 || est.MonthlyUSD != 639.48 || est.MonthlyUSDMax != 1918.44 {
			t.Errorf("%s: %+v, want the figures without replication", name, est)
		}
	}
}
