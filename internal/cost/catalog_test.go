package cost

import (
	"math"
	"strings"
	"testing"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

const pricingPage = "https://aws.amazon.com/elasticache/pricing/"

var catalogRegions = []string{"ap-southeast-1", "eu-central-1", "eu-west-1", "us-east-1", "us-west-2"}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// allBlueprintNodeTypes lists every node type the provider accepts.
func allBlueprintNodeTypes() []string {
	var out []string
	for _, fam := range blueprint.NodeTypeFamilies() {
		for _, n := range blueprint.NodeTypesInFamily(fam) {
			out = append(out, n.Name)
		}
	}
	return out
}

func TestCatalogCoversEveryNodeTypeEngineAndRegion(t *testing.T) {
	c := DefaultCatalog()
	if got := c.Regions(); strings.Join(got, ",") != strings.Join(catalogRegions, ",") {
		t.Fatalf("regions = %v, want %v", got, catalogRegions)
	}
	wantFamilies := []string{"m4", "m5", "m6g", "m7g", "r4", "r5", "r6g", "r6gd", "r7g", "t2", "t3", "t4g"}
	if got := c.families(); strings.Join(got, ",") != strings.Join(wantFamilies, ",") {
		t.Fatalf("families = %v, want %v", got, wantFamilies)
	}
	names := allBlueprintNodeTypes()
	if len(names) != len(c.NodeTypes()) {
		t.Errorf("catalog prices %d node types, blueprint accepts %d", len(c.NodeTypes()), len(names))
	}
	for _, region := range catalogRegions {
		for _, engine := range Engines {
			for _, nt := range names {
				p, err := c.NodePrice(region, engine, nt)
				if engine == blueprint.EngineMemcached && strings.HasPrefix(nt, "cache.r6gd.") {
					if err == nil || !strings.Contains(err.Error(), "redis and valkey only") {
						t.Errorf("%s %s %s: want an error naming the engines r6gd supports, got %v", region, engine, nt, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s %s %s: %v", region, engine, nt, err)
				}
				if p.USD <= 0 || p.Unit != UnitNodeHour || p.Origin != OriginCatalog || p.Source != pricingPage || p.AsOf == "" {
					t.Errorf("%s %s %s: bad price %+v", region, engine, nt, p)
				}
				published := region == "us-east-1" && engine == blueprint.EngineRedis
				if published != (p.Derived == "") {
					t.Errorf("%s %s %s: Derived = %q; only us-east-1 Redis OSS prices are published", region, engine, nt, p.Derived)
				}
				if !published && !strings.HasPrefix(p.Derived, "derived: ") {
					t.Errorf("%s %s %s: Derived = %q, want \"derived: <rule>\"", region, engine, nt, p.Derived)
				}
			}
		}
		for _, engine := range Engines {
			s, err := c.ServerlessPrice(region, engine)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range []Price{s.DataStored, s.ECPU} {
				if p.USD <= 0 || p.Source != pricingPage || p.AsOf == "" || (region == "us-east-1") != (p.Derived == "") {
					t.Errorf("%s %s serverless: bad price %+v", region, engine, p)
				}
			}
		}
		b, err := c.BackupPrice(region)
		if err != nil || b.USD != 0.085 || b.Unit != UnitGBMonth || (region == "us-east-1") != (b.Derived == "") {
			t.Errorf("%s backup: %+v, %v", region, b, err)
		}
	}
}

func TestCatalogPublishedPrices(t *testing.T) {
	c := DefaultCatalog()
	for _, tc := range []struct {
		region, engine, node string
		want                 float64
	}{
		{"us-east-1", "redis", "cache.r7g.large", 0.219}, // AWS's published price; seeds/003 says 0.165
		{"us-east-1", "valkey", "cache.r7g.large", 0.1752},
		{"us-east-1", "memcached", "cache.r7g.large", 0.219},
		{"us-east-1", "redis", "cache.t4g.micro", 0.016},
		{"us-east-1", "redis", "cache.r6g.large", 0.206},
		{"us-east-1", "redis", "cache.r6gd.xlarge", 0.781},
		{"us-west-2", "redis", "cache.r7g.large", 0.219},
		{"eu-west-1", "redis", "cache.r7g.large", 0.2431},
		{"eu-central-1", "redis", "cache.r7g.large", 0.2628},
		{"ap-southeast-1", "valkey", "cache.r7g.large", 0.212},
		{"us-east-1", "REDIS", "cache.m7g.large", 0.158},
	} {
		p, err := c.NodePrice(tc.region, tc.engine, tc.node)
		if err != nil || !near(p.USD, tc.want) {
			t.Errorf("NodePrice(%s, %s, %s) = %v, %v; want %v", tc.region, tc.engine, tc.node, p.USD, err, tc.want)
		}
	}
	p, _ := c.NodePrice("eu-west-1", "valkey", "cache.r7g.large")
	if !strings.Contains(p.Derived, "x 0.80") || !strings.Contains(p.Derived, "x 1.11") {
		t.Errorf("derived rule should name both multipliers: %q", p.Derived)
	}

	for _, tc := range []struct {
		engine             string
		data, ecpu, minimm float64
	}{
		{"valkey", 0.084, 0.0023, 0.1},
		{"redis", 0.125, 0.0034, 1},
		{"memcached", 0.125, 0.0034, 1},
	} {
		s, err := c.ServerlessPrice("us-east-1", tc.engine)
		if err != nil || !near(s.DataStored.USD, tc.data) || !near(s.ECPU.USD, tc.ecpu) || s.MinimumDataGB != tc.minimm ||
			s.DataStored.Unit != UnitGBHour || s.ECPU.Unit != UnitMillionECPUs {
			t.Errorf("ServerlessPrice(us-east-1, %s) = %+v, %v", tc.engine, s, err)
		}
	}
	s, _ := c.ServerlessPrice("eu-central-1", "redis")
	if !near(s.DataStored.USD, 0.15) || !near(s.ECPU.USD, 0.00408) {
		t.Errorf("eu-central-1 redis serverless = %v / %v, want 0.15 / 0.00408", s.DataStored.USD, s.ECPU.USD)
	}
}

// TestSeedReservedSavingsTable reproduces seeds/002's reserved-node table for every node type,
// engine and region of the catalog: 1 y 28/35/38 %, 3 y 41/50/55 % for No/Partial/All Upfront.
func TestSeedReservedSavingsTable(t *testing.T) {
	want := map[int]map[string]float64{
		1: {NoUpfront: 28, PartialUpfront: 35, AllUpfront: 38},
		3: {NoUpfront: 41, PartialUpfront: 50, AllUpfront: 55},
	}
	c := DefaultCatalog()
	for _, region := range catalogRegions {
		for _, engine := range []string{blueprint.EngineValkey, blueprint.EngineRedis} {
			for _, nt := range allBlueprintNodeTypes() {
				offers, err := c.ReservedOfferings(region, engine, nt)
				if err != nil {
					t.Fatal(err)
				}
				if len(offers) != 6 {
					t.Fatalf("%s %s %s: %d offerings, want 6", region, engine, nt, len(offers))
				}
				for i, o := range offers {
					wantOrder := []string{NoUpfront, PartialUpfront, AllUpfront}[i%3]
					if o.TermYears != []int{1, 1, 1, 3, 3, 3}[i] || o.PaymentOption != wantOrder {
						t.Fatalf("offering %d is %d y %s: want ordered by term then payment", i, o.TermYears, o.PaymentOption)
					}
					got := math.Round(o.SavingsFraction() * 100)
					if got != want[o.TermYears][o.PaymentOption] {
						t.Errorf("%s %s %s %d y %s: savings %v %%, want %v %%", region, engine, nt, o.TermYears, o.PaymentOption,
							o.SavingsFraction()*100, want[o.TermYears][o.PaymentOption])
					}
					switch o.PaymentOption {
					case NoUpfront:
						if o.UpfrontUSD != 0 || o.HourlyUSD <= 0 {
							t.Errorf("No Upfront with upfront %v, hourly %v", o.UpfrontUSD, o.HourlyUSD)
						}
					case PartialUpfront:
						if o.UpfrontUSD <= 0 || o.HourlyUSD <= 0 {
							t.Errorf("Partial Upfront with upfront %v, hourly %v", o.UpfrontUSD, o.HourlyUSD)
						}
					case AllUpfront:
						if o.UpfrontUSD <= 0 || o.HourlyUSD != 0 {
							t.Errorf("All Upfront with upfront %v, hourly %v", o.UpfrontUSD, o.HourlyUSD)
						}
					}
					if !strings.Contains(o.Derived, "28/35/38") || o.Source != pricingPage {
						t.Errorf("offering provenance %+v should name the savings table and the pricing page", o.Provenance)
					}
				}
			}
		}
	}

	// The parts of one offering, worked out: cache.r7g.large Redis OSS us-east-1, 3 y.
	offers, _ := c.ReservedOfferings("us-east-1", "redis", "cache.r7g.large")
	all3, _ := findOffering(offers, 3, AllUpfront)
	if all3.UpfrontUSD != 2589.89 || all3.HourlyUSD != 0 || all3.BreakEvenMonth() != 17 || all3.TermMonths() != 36 {
		t.Errorf("3 y All Upfront = %+v, break-even %d; want $2,589.89 upfront (0.219 x 0.45 x 26,280 h), month 17", all3, all3.BreakEvenMonth())
	}
	part3, _ := findOffering(offers, 3, PartialUpfront)
	if part3.UpfrontUSD != 1438.83 || !near(part3.HourlyUSD, 0.05475) || part3.BreakEvenMonth() != 12 {
		t.Errorf("3 y Partial Upfront = %+v, break-even %d", part3, part3.BreakEvenMonth())
	}
	no1, _ := findOffering(offers, 1, NoUpfront)
	if !near(no1.HourlyUSD, 0.15768) || no1.BreakEvenMonth() != 1 || !near(roundTo(no1.EffectiveMonthlyUSD(), 2), 115.11) {
		t.Errorf("1 y No Upfront = %+v", no1)
	}
}

func TestCatalogErrorsNameTheValidChoices(t *testing.T) {
	c := DefaultCatalog()
	_, err := c.NodePrice("us-east-2", "redis", "cache.r7g.large")
	if err == nil || !strings.Contains(err.Error(), `"us-east-2"`) || !strings.Contains(err.Error(), "ap-southeast-1, eu-central-1, eu-west-1, us-east-1, us-west-2") {
		t.Errorf("unknown region: %v", err)
	}
	_, err = c.NodePrice("us-east-1", "redis", "cache.r7g.huge")
	if err == nil || !strings.Contains(err.Error(), `"cache.r7g.huge"`) || !strings.Contains(err.Error(), "cache.r7g.large, cache.r7g.xlarge, cache.r7g.2xlarge") {
		t.Errorf("unknown size: %v", err)
	}
	_, err = c.NodePrice("us-east-1", "redis", "cache.x9.large")
	if err == nil || !strings.Contains(err.Error(), "m4, m5, m6g, m7g, r4, r5, r6g, r6gd, r7g, t2, t3, t4g") {
		t.Errorf("unknown family: %v", err)
	}
	_, err = c.NodePrice("us-east-1", "dragonfly", "cache.r7g.large")
	if err == nil || !strings.Contains(err.Error(), "memcached, redis, valkey") {
		t.Errorf("unknown engine: %v", err)
	}
	if _, err := c.ServerlessPrice("mars-1", "redis"); err == nil || !strings.Contains(err.Error(), "us-west-2") {
		t.Errorf("serverless unknown region: %v", err)
	}
	if _, err := c.ServerlessPrice("us-east-1", "x"); err == nil {
		t.Error("serverless unknown engine: no error")
	}
	if _, err := c.BackupPrice("mars-1"); err == nil {
		t.Error("backup unknown region: no error")
	}
	if _, err := c.ReservedOfferings("us-east-1", "redis", "cache.nope.large"); err == nil {
		t.Error("reserved unknown node type: no error")
	}
}

func TestParseCatalogRejectsBadData(t *testing.T) {
	for name, raw := range map[string]string{
		"not json":      `{`,
		"hours":         `{"hours_per_month": 720, "source": "s", "as_of": "d"}`,
		"no source":     `{"hours_per_month": 730}`,
		"no base":       `{"hours_per_month": 730, "source": "s", "as_of": "d", "base_region": "x"}`,
		"no engines":    `{"hours_per_month": 730, "source": "s", "as_of": "d", "base_region": "x", "regions": {"x": {}}}`,
		"no serverless": `{"hours_per_month": 730, "source": "s", "as_of": "d", "base_region": "x", "regions": {"x": {}}, "engines": {"valkey": {}, "redis": {}, "memcached": {}}}`,
	} {
		if _, err := parseCatalog([]byte(raw)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
	c, err := parseCatalog([]byte(`{"hours_per_month": 730, "source": "s", "as_of": "d", "base_region": "x", "regions": {"x": {"multiplier": 1}},
		"engines": {"valkey": {}, "redis": {"node_multiplier": 1}, "memcached": {}}, "serverless": {"valkey": {}, "redis": {}, "memcached": {}},
		"node_types": {"cache.r7g.large": 1}, "reserved_savings": {"x": {"No Upfront": 0.1}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReservedOfferings("x", "redis", "cache.r7g.large"); err == nil {
		t.Error("bad term parsed")
	}
	c.data.ReservedSavings = map[string]map[string]float64{"1": {"Heavy Utilization": 0.1}}
	if _, err := c.ReservedOfferings("x", "redis", "cache.r7g.large"); err == nil {
		t.Error("bad payment option parsed")
	}
	if c.AsOf() != "d" || c.SourceURL() != "s" {
		t.Error("AsOf / SourceURL")
	}
}

func TestReservedOfferingArithmetic(t *testing.T) {
	o := ReservedOffering{TermYears: 1, PaymentOption: AllUpfront, UpfrontUSD: 1000, OnDemandHourlyUSD: 0.1}
	// 1,000 upfront against 73 USD a month on demand: more than the term's on-demand cost.
	if o.SavingsFraction() >= 0 || o.BreakEvenMonth() != 0 {
		t.Errorf("a reservation dearer than on-demand: savings %v, break-even %d", o.SavingsFraction(), o.BreakEvenMonth())
	}
	if (ReservedOffering{HourlyUSD: 1}).SavingsFraction() != 0 || (ReservedOffering{HourlyUSD: 2}).EffectiveHourlyUSD() != 2 {
		t.Error("zero-term offering")
	}
	if (ReservedOffering{TermYears: 1, HourlyUSD: 0.2, OnDemandHourlyUSD: 0.1}).BreakEvenMonth() != 0 {
		t.Error("an offering dearer per hour never breaks even")
	}
}

func TestProvenanceLabel(t *testing.T) {
	for _, tc := range []struct {
		p    Provenance
		want string
	}{
		{Provenance{}, "catalog"},
		{Provenance{Origin: OriginCatalog}, "catalog"},
		{Provenance{Origin: OriginPricingAPI}, "pricing-api"},
		{Provenance{Origin: OriginCatalog, FallbackCode: "InternalError"}, "catalog (pricing-api failed: InternalError)"},
	} {
		if got := tc.p.label(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.p, got, tc.want)
		}
	}
}
