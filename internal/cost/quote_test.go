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
