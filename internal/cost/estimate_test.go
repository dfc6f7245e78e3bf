package cost

import (
	"errors"
	"strings"
	"testing"
)

// overrideSource is a test-only PriceSource: the catalog with some prices replaced, to
// reproduce the seeds' own arithmetic where their prices differ from AWS's published ones.
type overrideSource struct {
	PriceSource
	nodes      map[string]float64 // node type -> USD per node-hour
	serverless *ServerlessPrice
}

func (o overrideSource) NodePrice(region, engine, nodeType string) (Price, error) {
	if usd, ok := o.nodes[nodeType]; ok {
		return Price{USD: usd, Unit: UnitNodeHour, Provenance: Provenance{Origin: OriginCatalog, Source: "seed", AsOf: "2025-01-01"}}, nil
	}
	return o.PriceSource.NodePrice(region, engine, nodeType)
}

func (o overrideSource) ServerlessPrice(region, engine string) (ServerlessPrice, error) {
	if o.serverless != nil {
		return *o.serverless, nil
	}
	return o.PriceSource.ServerlessPrice(region, engine)
}

// TestSeedR7gLargeWorkedExample reproduces seeds/003: 1 primary + 2 replicas of cache.r7g.large
// at $0.165/h = 0.495 USD/h = 361.35 USD a month over 730 h. The catalog keeps AWS's published
// $0.219 (Redis OSS, us-east-1), so the same deployment costs 479.61 USD from the catalog.
// monthly is the monthly estimate of spec priced by src (nil: the catalog); an error stops the test.
func monthly(t *testing.T, src PriceSource, spec ProvisionedSpec) float64 {
	t.Helper()
	e, err := EstimateProvisioned(src, spec)
	if err != nil {
		t.Fatal(err)
	}
	return e.MonthlyUSD
}

func TestSeedR7gLargeWorkedExample(t *testing.T) {
	spec := ProvisionedSpec{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", Nodes: 3}

	seed := overrideSource{PriceSource: DefaultCatalog(), nodes: map[string]float64{"cache.r7g.large": 0.165}}
	got, err := EstimateProvisioned(seed, spec)
	if err != nil {
		t.Fatal(err)
	}
	if got.HourlyUSD != 0.495 || got.MonthlyUSD != 361.35 || got.Breakdown != (Breakdown{Nodes: 361.35}) {
		t.Errorf("seed arithmetic: %+v, want 0.495 USD/h and 361.35 USD/month", got)
	}

	got, err = EstimateProvisioned(DefaultCatalog(), spec)
	if err != nil {
		t.Fatal(err)
	}
	want := Estimate{HourlyUSD: 0.657, MonthlyUSD: 479.61, MonthlyUSDMin: 479.61, MonthlyUSDMax: 479.61, Breakdown: Breakdown{Nodes: 479.61}, Source: "catalog", AsOf: DefaultCatalog().AsOf()}
	if got != want {
		t.Errorf("catalog: %+v, want %+v", got, want)
	}

	// Valkey at 80 %: 3 x 0.1752 x 730.
	if got := monthly(t, nil, ProvisionedSpec{Region: "us-east-1", Engine: "valkey", NodeType: "cache.r7g.large", Nodes: 3}); got != 383.69 {
		t.Errorf("valkey: %v, want 383.69", got)
	}
}

// TestSeedNodeTableFromSeed001 checks seeds/001's node table against the catalog: the
// cache.t4g.micro row (~12 USD a month) matches; the r6g rows (69 and 138 USD a month) are about
// 46 % of the published prices, which the catalog keeps.
func TestSeedNodeTableFromSeed001(t *testing.T) {
	for _, tc := range []struct {
		node      string
		seed, got float64
	}{
		{"cache.t4g.micro", 12, 11.68},
		{"cache.r6g.large", 69, 150.38},
		{"cache.r6g.xlarge", 138, 300.03},
	} {
		e, err := EstimateProvisioned(nil, ProvisionedSpec{Region: "us-east-1", Engine: "redis", NodeType: tc.node, Nodes: 1})
		if err != nil || e.MonthlyUSD != tc.got {
			t.Errorf("%s: %v, %v; want %v (seed: %v)", tc.node, e.MonthlyUSD, err, tc.got, tc.seed)
		}
	}
	// Scenario 1: 3 x cache.r6g.large, "207/month" in the seed.
	if got := monthly(t, nil, ProvisionedSpec{Region: "us-east-1", Engine: "redis", NodeType: "cache.r6g.large", Nodes: 3}); got != 451.14 {
		t.Errorf("3 x r6g.large: %v, want 451.14", got)
	}
	seed := overrideSource{PriceSource: DefaultCatalog(), nodes: map[string]float64{"cache.r6g.large": 69.0 / HoursPerMonth}}
	if got := monthly(t, seed, ProvisionedSpec{Region: "us-east-1", Engine: "redis", NodeType: "cache.r6g.large", Nodes: 3}); got != 207 {
		t.Errorf("seed scenario 1 arithmetic: %v, want 207", got)
	}
}

// TestSeedServerlessMinimum: seeds/002 says the serverless minimum charge is "$0.125/hour ~
// $90/month", which is Redis OSS's 1 GB minimum at $0.125 per GB-hour (91.25 USD over 730 h).
// Valkey bills at least 100 MB at $0.084.
func TestSeedServerlessMinimum(t *testing.T) {
	for _, tc := range []struct {
		engine  string
		monthly float64
		hourly  float64
	}{
		{"redis", 91.25, 0.125},
		{"memcached", 91.25, 0.125},
		{"valkey", 6.13, 0.0084},
	} {
		e, err := EstimateServerless(nil, ServerlessSpec{Region: "us-east-1", Engine: tc.engine})
		if err != nil {
			t.Fatal(err)
		}
		if e.MonthlyUSD != tc.monthly || e.HourlyUSD != tc.hourly || e.Breakdown.Storage != tc.monthly || e.Breakdown.ECPU != 0 {
			t.Errorf("%s empty serverless cache: %+v, want %v USD/month", tc.engine, e, tc.monthly)
		}
	}
}

func TestEstimateServerless(t *testing.T) {
	// 10 GB and 5,000 ECPU/s of Valkey: 10 x 0.084 x 730 = 613.20; 5,000 x 3,600 x 730 / 1e6 x
	// 0.0023 = 30.22; 7 daily snapshots of 10 GB at 0.085 = 5.95.
	e, err := EstimateServerless(DefaultCatalog(), ServerlessSpec{Region: "us-east-1", Engine: "valkey", DataGB: 10, ECPUPerSecond: 5000, SnapshotRetentionDays: 7})
	if err != nil {
		t.Fatal(err)
	}
	want := Estimate{HourlyUSD: 0.8895, MonthlyUSD: 649.37, MonthlyUSDMin: 649.37, MonthlyUSDMax: 649.37, Breakdown: Breakdown{Storage: 613.2, ECPU: 30.22, Backups: 5.95}, Source: "catalog", AsOf: "2025-06-01"}
	if e != want {
		t.Errorf("got %+v, want %+v", e, want)
	}

	// Usage limits cap what is billed: 4 GB and 1,000 ECPU/s.
	e, _ = EstimateServerless(nil, ServerlessSpec{Region: "us-east-1", Engine: "valkey", DataGB: 10, ECPUPerSecond: 5000, MaxDataGB: 4, MaxECPUPerSecond: 1000})
	if e.Breakdown.Storage != 245.28 || e.Breakdown.ECPU != 6.04 {
		t.Errorf("limited: %+v", e.Breakdown)
	}
	// A limit below the minimum still bills the minimum.
	e, _ = EstimateServerless(nil, ServerlessSpec{Region: "us-east-1", Engine: "redis", DataGB: 0.5, MaxDataGB: 0.5})
	if e.Breakdown.Storage != 91.25 {
		t.Errorf("below minimum: %+v", e.Breakdown)
	}
	// Derived regional prices say so only through Source/AsOf of the estimate, which stay
	// "catalog" and the catalog date.
	e, _ = EstimateServerless(nil, ServerlessSpec{Region: "eu-central-1", Engine: "redis", DataGB: 2})
	if e.Breakdown.Storage != 219 || e.Source != "catalog" {
		t.Errorf("eu-central-1: %+v", e)
	}
}

func TestEstimateProvisionedBackups(t *testing.T) {
	// 7 daily snapshots of 20 GB, one free: 6 x 20 x 0.085 = 10.20.
	e, err := EstimateProvisioned(nil, ProvisionedSpec{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", Nodes: 2, SnapshotRetentionDays: 7, DataGB: 20})
	if err != nil {
		t.Fatal(err)
	}
	if e.Breakdown != (Breakdown{Nodes: 319.74, Backups: 10.2}) || e.MonthlyUSD != 329.94 || e.HourlyUSD != 0.452 {
		t.Errorf("got %+v", e)
	}
	// One day of retention is the free snapshot; no data size prices no backups.
	for _, spec := range []ProvisionedSpec{
		{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", Nodes: 2, SnapshotRetentionDays: 1, DataGB: 20},
		{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", Nodes: 2, SnapshotRetentionDays: 7},
	} {
		if e, _ := EstimateProvisioned(nil, spec); e.Breakdown.Backups != 0 {
			t.Errorf("%+v: backups %v", spec, e.Breakdown.Backups)
		}
	}
}

func TestEstimateErrors(t *testing.T) {
	for name, spec := range map[string]ProvisionedSpec{
		"no nodes":       {Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large"},
		"engine":         {Region: "us-east-1", Engine: "x", NodeType: "cache.r7g.large", Nodes: 1},
		"negative data":  {Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", Nodes: 1, DataGB: -1},
		"retention":      {Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", Nodes: 1, SnapshotRetentionDays: 36},
		"region":         {Region: "us-east-9", Engine: "redis", NodeType: "cache.r7g.large", Nodes: 1},
		"node type":      {Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.huge", Nodes: 1},
		"memcached r6gd": {Region: "us-east-1", Engine: "memcached", NodeType: "cache.r6gd.xlarge", Nodes: 1},
	} {
		if _, err := EstimateProvisioned(nil, spec); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	for name, spec := range map[string]ServerlessSpec{
		"engine":   {Region: "us-east-1", Engine: "x"},
		"region":   {Region: "us-east-9", Engine: "redis"},
		"negative": {Region: "us-east-1", Engine: "redis", ECPUPerSecond: -1},
		"limit":    {Region: "us-east-1", Engine: "redis", MaxDataGB: -1},
	} {
		if _, err := EstimateServerless(nil, spec); err == nil {
			t.Errorf("serverless %s: no error", name)
		}
	}
	// A backup price the source cannot give fails the estimate that needs it.
	broken := noBackups{DefaultCatalog()}
	if _, err := EstimateProvisioned(broken, ProvisionedSpec{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", Nodes: 1, SnapshotRetentionDays: 3, DataGB: 1}); err == nil {
		t.Error("provisioned without backup price: no error")
	}
	if _, err := EstimateServerless(broken, ServerlessSpec{Region: "us-east-1", Engine: "redis", SnapshotRetentionDays: 3}); err == nil {
		t.Error("serverless without backup price: no error")
	}
	_, err := EstimateProvisioned(nil, ProvisionedSpec{Region: "us-east-9", Engine: "redis", NodeType: "cache.r7g.large", Nodes: 1})
	if err == nil || !strings.Contains(err.Error(), "us-east-1, us-west-2") {
		t.Errorf("region error should list the valid regions: %v", err)
	}
}

// ReservedOfferings scales the catalog's offerings to an overridden on-demand price, so the
// savings table applies to the seed's price.
func (o overrideSource) ReservedOfferings(region, engine, nodeType string) ([]ReservedOffering, error) {
	offers, err := o.PriceSource.ReservedOfferings(region, engine, nodeType)
	if usd, ok := o.nodes[nodeType]; ok && err == nil {
		for i := range offers {
			f := usd / offers[i].OnDemandHourlyUSD
			offers[i].OnDemandHourlyUSD, offers[i].HourlyUSD, offers[i].UpfrontUSD = usd, offers[i].HourlyUSD*f, offers[i].UpfrontUSD*f
		}
	}
	return offers, err
}

type noBackups struct{ PriceSource }

func (noBackups) BackupPrice(string) (Price, error) { return Price{}, errors.New("no backup price") }

func TestCombineSourcesAndAsOf(t *testing.T) {
	used := []Provenance{
		{Origin: OriginPricingAPI, AsOf: "2025-01-01"},
		{Origin: OriginCatalog, AsOf: "2025-06-01"},
		{Origin: OriginPricingAPI, AsOf: "2025-03-01"},
		{Origin: OriginCatalog, FallbackCode: "ThrottlingException", AsOf: ""},
	}
	if got := combineSources(used); got != "pricing-api + catalog + catalog (pricing-api failed: ThrottlingException)" {
		t.Errorf("combineSources = %q", got)
	}
	if got := oldest(used); got != "2025-01-01" {
		t.Errorf("oldest = %q", got)
	}
}
