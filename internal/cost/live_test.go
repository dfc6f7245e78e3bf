package cost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/aws/smithy-go"
)

// fakePricing answers GetProducts from canned pages, by productFamily filter.
type fakePricing struct {
	mu      sync.Mutex
	calls   int
	inputs  []*pricing.GetProductsInput
	pages   map[string][][]string // productFamily -> pages of PriceList entries
	err     error
	optFns  int
	badJSON bool
}

func (f *fakePricing) GetProducts(_ context.Context, in *pricing.GetProductsInput, optFns ...func(*pricing.Options)) (*pricing.GetProductsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.optFns += len(optFns)
	cp := *in
	f.inputs = append(f.inputs, &cp)
	if f.err != nil {
		return nil, f.err
	}
	if f.badJSON {
		return &pricing.GetProductsOutput{PriceList: []string{"{not json"}}, nil
	}
	family := ""
	for _, flt := range in.Filters {
		if aws.ToString(flt.Field) == "productFamily" {
			family = aws.ToString(flt.Value)
		}
	}
	pages := f.pages[family]
	page := 0
	if in.NextToken != nil {
		fmt.Sscanf(*in.NextToken, "page-%d", &page)
	}
	out := &pricing.GetProductsOutput{}
	if page < len(pages) {
		out.PriceList = pages[page]
	}
	if page+1 < len(pages) {
		out.NextToken = aws.String(fmt.Sprintf("page-%d", page+1))
	}
	return out, nil
}

// product renders one Price List product with one on-demand price.
func product(family, usageType, unit, usd string) string {
	p := map[string]any{
		"product": map[string]any{"productFamily": family, "sku": "SKU" + usageType, "attributes": map[string]string{"usagetype": usageType}},
		"terms": map[string]any{"OnDemand": map[string]any{
			"SKU.JRTCKXETXF": map[string]any{
				"effectiveDate": "2025-03-01T00:00:00Z",
				"priceDimensions": map[string]any{
					"SKU.JRTCKXETXF.6YS6EN2CT7": map[string]any{"unit": unit, "pricePerUnit": map[string]string{"USD": usd}, "description": "x"},
				},
			},
		}},
	}
	raw, _ := json.Marshal(p)
	return string(raw)
}

func newFakePricing() *fakePricing {
	return &fakePricing{pages: map[string][][]string{
		"Cache Instance": {
			{product("Cache Instance", "ExtendedSupport:cache.r7g.large", "Hrs", "0.0500")},
			{product("Cache Instance", "NodeUsage:cache.r7g.large", "Hrs", "0.2000000000"), product("Cache Instance", "NodeUsage:cache.r7g.large", "Quantity", "5")},
		},
		"ElastiCache Serverless": {{
			product("ElastiCache Serverless", "ElastiCacheServerless:Redis-CachedData", "GB-Hours", "0.1300000000"),
			product("ElastiCache Serverless", "ElastiCacheServerless:Redis-ECPU", "ECPU", "0.0000000036"),
		}},
	}}
}

// fakeOfferings answers DescribeReservedCacheNodesOfferings.
type fakeOfferings struct {
	mu     sync.Mutex
	calls  int
	region []string
	err    error
	offers []ectypes.ReservedCacheNodesOffering
}

func (f *fakeOfferings) DescribeReservedCacheNodesOfferings(_ context.Context, in *elasticache.DescribeReservedCacheNodesOfferingsInput, optFns ...func(*elasticache.Options)) (*elasticache.DescribeReservedCacheNodesOfferingsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	o := elasticache.Options{}
	for _, fn := range optFns {
		fn(&o)
	}
	f.region = append(f.region, o.Region)
	if f.err != nil {
		return nil, f.err
	}
	// Two pages: the first half, then the rest.
	half := len(f.offers) / 2
	if in.Marker == nil {
		return &elasticache.DescribeReservedCacheNodesOfferingsOutput{ReservedCacheNodesOfferings: f.offers[:half], Marker: aws.String("next")}, nil
	}
	return &elasticache.DescribeReservedCacheNodesOfferingsOutput{ReservedCacheNodesOfferings: f.offers[half:]}, nil
}

func offering(nodeType string, years int, option string, fixed, hourly float64) ectypes.ReservedCacheNodesOffering {
	return ectypes.ReservedCacheNodesOffering{
		CacheNodeType: aws.String(nodeType), Duration: aws.Int32(int32(years * secondsPerYear)), OfferingType: aws.String(option),
		FixedPrice: aws.Float64(fixed), UsagePrice: aws.Float64(0), ProductDescription: aws.String("redis"),
		RecurringCharges: []ectypes.RecurringCharge{{RecurringChargeAmount: aws.Float64(hourly), RecurringChargeFrequency: aws.String("Hourly")}},
	}
}

func newFakeOfferings() *fakeOfferings {
	return &fakeOfferings{offers: []ectypes.ReservedCacheNodesOffering{
		offering("cache.r7g.large", 3, AllUpfront, 2200, 0),
		offering("cache.r7g.large", 1, NoUpfront, 0, 0.14),
		offering("cache.r7g.large", 1, "Heavy Utilization", 500, 0.05), // legacy: ignored
		offering("cache.r7g.large", 1, NoUpfront, 0, 0.99),             // duplicate: ignored
		offering("cache.r7g.large", 2, NoUpfront, 0, 0.10),             // odd term: ignored
		offering("cache.r7g.large", 1, PartialUpfront, 560, 0.064),
	}}
}

var ctx = context.Background()

func TestLiveSourceReadsThePriceList(t *testing.T) {
	fp, fo := newFakePricing(), newFakeOfferings()
	src := NewLiveSource(fp, fo, nil).WithContext(ctx)

	p, err := src.NodePrice("us-east-1", "redis", "cache.r7g.large")
	if err != nil {
		t.Fatal(err)
	}
	if p.USD != 0.2 || p.Origin != OriginPricingAPI || p.AsOf != "2025-03-01" || p.FallbackReason != "" || p.Unit != UnitNodeHour {
		t.Errorf("node price = %+v", p)
	}
	mustContain(t, p.Source, "GetProducts", "instanceType=cache.r7g.large", "regionCode=us-east-1", "cacheEngine=Redis")
	// Two pages were read, with TERM_MATCH filters and a retry cap.
	if fp.calls != 2 || fp.optFns != 2 {
		t.Errorf("GetProducts calls = %d (option fns %d), want 2 pages", fp.calls, fp.optFns)
	}
	in := fp.inputs[0]
	if aws.ToString(in.ServiceCode) != "AmazonElastiCache" || len(in.Filters) != 4 || aws.ToString(in.FormatVersion) != "aws_v1" {
		t.Errorf("input = %+v", in)
	}
	for _, f := range in.Filters {
		if f.Type != "TERM_MATCH" {
			t.Errorf("filter %s is %s", aws.ToString(f.Field), f.Type)
		}
	}

	// Memoized: no more calls for the same price.
	for i := 0; i < 3; i++ {
		if again, _ := src.NodePrice("us-east-1", "REDIS", "cache.r7g.large"); again != p {
			t.Errorf("memoized price differs: %+v", again)
		}
	}
	if fp.calls != 2 {
		t.Errorf("GetProducts calls after memoized lookups = %d", fp.calls)
	}

	e, err := EstimateProvisioned(src, ProvisionedSpec{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", Nodes: 3})
	if err != nil || e.MonthlyUSD != 438 || e.Source != "pricing-api" || e.AsOf != "2025-03-01" {
		t.Errorf("estimate = %+v, %v", e, err)
	}
	// Backups come from the catalog, and say so.
	e, _ = EstimateProvisioned(src, ProvisionedSpec{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", Nodes: 3, SnapshotRetentionDays: 2, DataGB: 10})
	if e.Source != "pricing-api + catalog" || e.Breakdown.Backups != 0.85 {
		t.Errorf("estimate with backups = %+v", e)
	}

	s, err := src.ServerlessPrice("us-east-1", "redis")
	if err != nil || s.DataStored.USD != 0.13 || s.ECPU.USD != 0.0036 || s.MinimumDataGB != 1 || s.ECPU.Origin != OriginPricingAPI {
		t.Errorf("serverless = %+v, %v", s, err)
	}

	if _, err := src.ReservedOfferings("eu-west-1", "redis", "cache.r7g.large"); err != nil {
		t.Fatal(err)
	}
	offers, err := src.ReservedOfferings("us-east-1", "redis", "cache.r7g.large")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range offers {
		got = append(got, fmt.Sprintf("%dy %s %.0f %.3f", o.TermYears, o.PaymentOption, o.UpfrontUSD, o.HourlyUSD))
		if o.OnDemandHourlyUSD != 0.2 || o.Origin != OriginPricingAPI {
			t.Errorf("offering %+v", o)
		}
	}
	if strings.Join(got, "; ") != "1y No Upfront 0 0.140; 1y Partial Upfront 560 0.064; 3y All Upfront 2200 0.000" {
		t.Errorf("offerings = %v", got)
	}
	if fo.region[len(fo.region)-1] != "us-east-1" || fo.region[0] != "eu-west-1" {
		t.Errorf("DescribeReservedCacheNodesOfferings regions = %v: it must ask the priced region", fo.region)
	}
	// Recommendations compare the live offerings with the live on-demand price: 1 y No Upfront
	// at 0.14 against 0.20 saves 30 %.
	r := Recommend(src, RecommendInput{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large"})
	mustContain(t, r[0].Summary, "3 years, All Upfront", "1 year, No Upfront saves 30 %")
}

// TestLiveSourceFallsBackPerPrice: an API error makes each price come from the catalog, with
// the reason, and estimates say so.
func TestLiveSourceFallsBackPerPrice(t *testing.T) {
	fp := &fakePricing{err: &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}}
	fo := newFakeOfferings()
	src := NewLiveSource(fp, fo, nil).WithContext(ctx)

	p, err := src.NodePrice("us-east-1", "redis", "cache.r7g.large")
	if err != nil {
		t.Fatal(err)
	}
	if p.USD != 0.219 || p.Origin != OriginCatalog || p.FallbackCode != "ThrottlingException" || !strings.Contains(p.FallbackReason, "Rate exceeded") {
		t.Errorf("fallback = %+v", p)
	}
	e, _ := EstimateProvisioned(src, ProvisionedSpec{Region: "us-east-1", Engine: "redis", NodeType: "cache.r7g.large", Nodes: 3})
	if e.MonthlyUSD != 479.61 || e.Source != "catalog (pricing-api failed: ThrottlingException)" {
		t.Errorf("estimate = %+v", e)
	}
	// The failure is memoized too: one call per price.
	src.NodePrice("us-east-1", "redis", "cache.r7g.large")
	if fp.calls != 1 {
		t.Errorf("calls = %d", fp.calls)
	}
	// Reserved offerings follow the on-demand price to the catalog (no mixing of sources), and
	// ElastiCache is not asked.
	offers, err := src.ReservedOfferings("us-east-1", "redis", "cache.r7g.large")
	if err != nil || len(offers) != 6 || offers[0].Origin != OriginCatalog || offers[0].FallbackCode != "ThrottlingException" || fo.calls != 0 {
		t.Errorf("reserved fallback = %+v, %v (ElastiCache calls %d)", offers, err, fo.calls)
	}
	s, err := src.ServerlessPrice("us-east-1", "valkey")
	if err != nil || s.DataStored.USD != 0.084 || s.ECPU.FallbackCode != "ThrottlingException" {
		t.Errorf("serverless fallback = %+v, %v", s, err)
	}
	se, _ := EstimateServerless(src, ServerlessSpec{Region: "us-east-1", Engine: "valkey", DataGB: 1})
	if se.Source != "catalog (pricing-api failed: ThrottlingException)" {
		t.Errorf("serverless estimate source = %q", se.Source)
	}
}

func TestLiveSourceFallbackReasons(t *testing.T) {
	// No product for the node type.
	src := NewLiveSource(&fakePricing{pages: map[string][][]string{}}, nil, nil).WithContext(ctx)
	p, _ := src.NodePrice("us-east-1", "redis", "cache.r5.large")
	if p.FallbackCode != "NoPrice" || p.USD != 0.216 || !strings.Contains(p.FallbackReason, "cache.r5.large") {
		t.Errorf("no product: %+v", p)
	}
	s, _ := src.ServerlessPrice("us-east-1", "redis")
	if s.DataStored.FallbackCode != "NoPrice" {
		t.Errorf("no serverless product: %+v", s)
	}
	// Malformed price list.
	src = NewLiveSource(&fakePricing{badJSON: true}, nil, nil).WithContext(ctx)
	if p, _ := src.NodePrice("us-east-1", "redis", "cache.r7g.large"); p.FallbackCode != "BadPriceList" {
		t.Errorf("bad JSON: %+v", p)
	}
	// No clients at all.
	src = NewLiveSource(nil, nil, nil).WithContext(ctx)
	if p, _ := src.NodePrice("us-east-1", "redis", "cache.r7g.large"); p.FallbackCode != "NoPricingClient" {
		t.Errorf("no pricing client: %+v", p)
	}
	// Live node price, but no ElastiCache client for offerings.
	src = NewLiveSource(newFakePricing(), nil, nil).WithContext(ctx)
	offers, _ := src.ReservedOfferings("us-east-1", "redis", "cache.r7g.large")
	if len(offers) != 6 || offers[0].FallbackCode != "NoElastiCacheClient" {
		t.Errorf("no elasticache client: %+v", offers)
	}
	// ElastiCache fails, or lists nothing useful.
	fo := newFakeOfferings()
	fo.err = &smithy.GenericAPIError{Code: "AccessDenied"}
	src = NewLiveSource(newFakePricing(), fo, nil).WithContext(ctx)
	if offers, _ := src.ReservedOfferings("us-east-1", "redis", "cache.r7g.large"); offers[0].FallbackCode != "AccessDenied" {
		t.Errorf("elasticache error: %+v", offers[0])
	}
	fo = &fakeOfferings{offers: []ectypes.ReservedCacheNodesOffering{offering("cache.r7g.large", 1, "Heavy Utilization", 1, 1), offering("cache.r7g.large", 1, "Light Utilization", 1, 1)}}
	src = NewLiveSource(newFakePricing(), fo, nil).WithContext(ctx)
	if offers, _ := src.ReservedOfferings("us-east-1", "redis", "cache.r7g.large"); offers[0].FallbackCode != "NoOfferings" {
		t.Errorf("no offerings: %+v", offers[0])
	}
	// Neither live nor catalog: the error names the valid regions and the live failure.
	src = NewLiveSource(&fakePricing{err: errors.New("connection refused")}, nil, nil).WithContext(ctx)
	_, err := src.NodePrice("us-east-2", "redis", "cache.r7g.large")
	if err == nil || !strings.Contains(err.Error(), "us-west-2") || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("unknown region: %v", err)
	}
	if _, err := src.ServerlessPrice("us-east-2", "redis"); err == nil {
		t.Error("serverless unknown region: no error")
	}
	if _, err := src.ReservedOfferings("us-east-2", "redis", "cache.r7g.large"); err == nil {
		t.Error("reserved unknown region: no error")
	}
	for _, f := range []func() error{
		func() error { _, err := src.NodePrice("us-east-1", "x", "cache.r7g.large"); return err },
		func() error { _, err := src.ServerlessPrice("us-east-1", "x"); return err },
		func() error { _, err := src.ReservedOfferings("us-east-1", "x", "cache.r7g.large"); return err },
	} {
		if f() == nil {
			t.Error("unknown engine: no error")
		}
	}
	if b, err := src.BackupPrice("us-east-1"); err != nil || b.USD != 0.085 {
		t.Errorf("backup = %+v, %v", b, err)
	}
}

func TestFailureCode(t *testing.T) {
	dl, cancel := context.WithTimeout(ctx, 0)
	defer cancel()
	<-dl.Done()
	cx, cancel2 := context.WithCancel(ctx)
	cancel2()
	for err, want := range map[error]string{
		&smithy.GenericAPIError{Code: "InternalError"}: "InternalError",
		fmt.Errorf("wrapped: %w", dl.Err()):            "Timeout",
		cx.Err():                                       "Canceled",
		errors.New("dial tcp: connection refused"):     "RequestError",
		&liveError{code: "NoPrice"}:                    "NoPrice",
	} {
		if got := failureCode(err); got != want {
			t.Errorf("failureCode(%v) = %q, want %q", err, got, want)
		}
	}
	if pricingEngine("valkey") != "Valkey" || pricingEngine("memcached") != "Memcached" || pricingEngine("redis") != "Redis" {
		t.Error("pricingEngine")
	}
	if dateOnly("2025") != "2025" {
		t.Error("dateOnly")
	}
}

type ctxKey struct{}

func TestNewPrices(t *testing.T) {
	if _, ok := NewPrices(false, nil, nil).For(ctx).(*Catalog); !ok {
		t.Error("live_pricing off: want the catalog")
	}
	if _, ok := CatalogPrices().For(ctx).(*Catalog); !ok {
		t.Error("CatalogPrices: want the catalog")
	}
	prices := NewPrices(true, pricing.New(pricing.Options{Region: "us-east-1"}), elasticache.New(elasticache.Options{Region: "us-east-1"}))
	a, ok := prices.For(ctx).(boundLive)
	b, _ := prices.For(context.WithValue(ctx, ctxKey{}, 1)).(boundLive)
	if !ok || a.l != b.l {
		t.Error("every request of one provider must share one memoizing LiveSource")
	}
	if b.ctx.Value(ctxKey{}) != 1 {
		t.Error("the source must be bound to the request's context")
	}
}

// TestLiveSourceConcurrentLookupsAskOnce: concurrent lookups of one price make one lookup.
func TestLiveSourceConcurrentLookupsAskOnce(t *testing.T) {
	fp := newFakePricing()
	live := NewLiveSource(fp, newFakeOfferings(), nil)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if p, err := live.WithContext(ctx).NodePrice("us-east-1", "redis", "cache.r7g.large"); err != nil || p.USD != 0.2 {
				t.Errorf("price = %+v, %v", p, err)
			}
		}()
	}
	wg.Wait()
	if fp.calls != 2 { // one lookup of two pages
		t.Errorf("GetProducts calls = %d, want 2", fp.calls)
	}
}
