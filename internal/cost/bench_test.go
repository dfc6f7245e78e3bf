package cost

import "testing"

func BenchmarkEstimateProvisioned(b *testing.B) {
	benchEstimate(b, EstimateProvisioned, ProvisionedSpec{Region: "eu-west-1", Engine: "valkey", NodeType: "cache.r7g.xlarge", Nodes: 6, SnapshotRetentionDays: 7, DataGB: 40})
}

func BenchmarkEstimateServerless(b *testing.B) {
	benchEstimate(b, EstimateServerless, ServerlessSpec{Region: "us-east-1", Engine: "redis", DataGB: 12, ECPUPerSecond: 20000, SnapshotRetentionDays: 3})
}

// benchEstimate measures one estimate of spec from the catalog.
func benchEstimate[S any](b *testing.B, estimate func(PriceSource, S) (Estimate, error), spec S) {
	src := DefaultCatalog()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := estimate(src, spec); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecommend covers all three kinds: reserved nodes, the mode comparison (which sizes a
// provisioned alternative over three families) and right-sizing.
func BenchmarkRecommend(b *testing.B) {
	src := DefaultCatalog()
	in := RecommendInput{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.4xlarge", Shards: 2, ReplicasPerShard: 1, SnapshotRetentionDays: 7,
		Load: &ExpectedLoad{DataGB: 8, RequestsPerSecond: 20000, AvgRequestKB: 2, Pattern: PatternSpiky, PeakToAverage: 4}}
	if len(Recommend(src, in)) != 3 {
		b.Fatal("want three recommendations")
	}
	b.ReportAllocs()
	for b.Loop() {
		Recommend(src, in)
	}
}
