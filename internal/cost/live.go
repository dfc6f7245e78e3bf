package cost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	pricingtypes "github.com/aws/aws-sdk-go-v2/service/pricing/types"
	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// This file is the only one of the package that talks to AWS.

// PricingAPI is the part of the Pricing client LiveSource uses.
type PricingAPI interface {
	GetProducts(ctx context.Context, in *pricing.GetProductsInput, optFns ...func(*pricing.Options)) (*pricing.GetProductsOutput, error)
}

// ReservedOfferingsAPI is the part of the ElastiCache client LiveSource uses.
type ReservedOfferingsAPI = elasticache.DescribeReservedCacheNodesOfferingsAPIClient

const (
	// pricingServiceCode is ElastiCache's service code in the Price List API.
	pricingServiceCode = "AmazonElastiCache"
	// liveLookupTimeout bounds one live lookup (all its pages and retries).
	liveLookupTimeout = 20 * time.Second
	// liveMaxAttempts caps the attempts of each live call: a plan must not wait on a slow or
	// failing Pricing endpoint when the catalog can answer.
	liveMaxAttempts = 2
	// liveMaxPages caps the pages read per lookup.
	liveMaxPages   = 10
	secondsPerYear = 31536000
)

// LiveSource is a PriceSource that asks AWS: on-demand and serverless prices from the Price
// List API (pricing:GetProducts with TERM_MATCH filters on productFamily, regionCode,
// cacheEngine and instanceType), reserved offerings from ElastiCache
// DescribeReservedCacheNodesOfferings in the priced region. Backup storage is not in the
// lookups: it always comes from the catalog.
//
// Each price falls back to the catalog on any error (an API error, a timeout, no matching
// product); the fallback price carries the error in FallbackReason and its code in
// FallbackCode, so an Estimate's Source reads "catalog (pricing-api failed: <code>)". Results,
// fallbacks included, are memoized per (region, engine, node type) for the life of the
// LiveSource, so a plan asks AWS at most once per price.
type LiveSource struct {
	pricing     PricingAPI
	elasticache ReservedOfferingsAPI
	catalog     *Catalog

	mu         sync.Mutex
	nodes      map[memoKey]*memo[Price]
	serverless map[memoKey]*memo[ServerlessPrice]
	reserved   map[memoKey]*memo[[]ReservedOffering]
}

type memoKey struct{ region, engine, nodeType string }

type memo[T any] struct {
	once sync.Once
	val  T
	err  error
}

// NewLiveSource returns a LiveSource over the given clients. Either client may be nil: its
// prices then come from the catalog (with the reason). A nil catalog means DefaultCatalog().
func NewLiveSource(p PricingAPI, ec ReservedOfferingsAPI, catalog *Catalog) *LiveSource {
	if catalog == nil {
		catalog = DefaultCatalog()
	}
	return &LiveSource{
		pricing: p, elasticache: ec, catalog: catalog,
		nodes:      map[memoKey]*memo[Price]{},
		serverless: map[memoKey]*memo[ServerlessPrice]{},
		reserved:   map[memoKey]*memo[[]ReservedOffering]{},
	}
}

// WithContext returns a PriceSource whose lookups use ctx (for cancellation and tflog).
func (l *LiveSource) WithContext(ctx context.Context) PriceSource {
	return boundLive{l: l, ctx: ctx}
}

// For returns the LiveSource bound to ctx: it is the Prices the provider hands over when
// live_pricing is on.
func (l *LiveSource) For(ctx context.Context) PriceSource { return l.WithContext(ctx) }

// Prices hands out the price source for one request. The provider's Configure builds one
// (NewPrices) and hands it over with the AWS clients, so live prices are memoized for the life
// of the provider and nothing is kept process-wide.
type Prices interface {
	// For returns the price source bound to ctx (for cancellation and logs).
	For(ctx context.Context) PriceSource
}

// CatalogPrices are the built-in catalog's prices.
func CatalogPrices() Prices { return catalogPrices{DefaultCatalog()} }

type catalogPrices struct{ c *Catalog }

func (p catalogPrices) For(context.Context) PriceSource { return p.c }

// NewPrices is the price source of a configured provider: the catalog, or with live pricing
// the Pricing API (and reserved offerings from ElastiCache) before the catalog. A nil client
// leaves its prices to the catalog, with the reason.
func NewPrices(live bool, p *pricing.Client, ec *elasticache.Client) Prices {
	if !live {
		return CatalogPrices()
	}
	var pricingAPI PricingAPI
	if p != nil {
		pricingAPI = p
	}
	var offerings ReservedOfferingsAPI
	if ec != nil {
		offerings = ec
	}
	return NewLiveSource(pricingAPI, offerings, nil)
}

type boundLive struct {
	l   *LiveSource
	ctx context.Context
}

func memoize[T any](l *LiveSource, m map[memoKey]*memo[T], k memoKey, fetch func() (T, error)) (T, error) {
	l.mu.Lock()
	e, ok := m[k]
	if !ok {
		e = &memo[T]{}
		m[k] = e
	}
	l.mu.Unlock()
	e.once.Do(func() { e.val, e.err = fetch() })
	return e.val, e.err
}

// NodePrice implements PriceSource.
func (b boundLive) NodePrice(region, engine, nodeType string) (Price, error) {
	e, err := NormalizeEngine(engine)
	if err != nil {
		return Price{}, err
	}
	return memoize(b.l, b.l.nodes, memoKey{region, e, nodeType}, func() (Price, error) {
		p, liveErr := b.fetchNode(region, e, nodeType)
		if liveErr == nil {
			tflog.Debug(b.ctx, "Live ElastiCache node price", map[string]any{"region": region, "engine": e, "node_type": nodeType, "usd_per_hour": p.USD})
			return p, nil
		}
		fb, err := b.l.catalog.NodePrice(region, e, nodeType)
		if err != nil {
			return Price{}, fmt.Errorf("%w (the Pricing API did not answer either: %v)", err, liveErr)
		}
		fb.Provenance = b.fallback(fb.Provenance, liveErr, "node price", map[string]any{"region": region, "engine": e, "node_type": nodeType})
		return fb, nil
	})
}

// ServerlessPrice implements PriceSource.
func (b boundLive) ServerlessPrice(region, engine string) (ServerlessPrice, error) {
	e, err := NormalizeEngine(engine)
	if err != nil {
		return ServerlessPrice{}, err
	}
	return memoize(b.l, b.l.serverless, memoKey{region, e, ""}, func() (ServerlessPrice, error) {
		p, liveErr := b.fetchServerless(region, e)
		if liveErr == nil {
			return p, nil
		}
		fb, err := b.l.catalog.ServerlessPrice(region, e)
		if err != nil {
			return ServerlessPrice{}, fmt.Errorf("%w (the Pricing API did not answer either: %v)", err, liveErr)
		}
		prov := b.fallback(fb.DataStored.Provenance, liveErr, "serverless prices", map[string]any{"region": region, "engine": e})
		fb.DataStored.Provenance, fb.ECPU.Provenance = prov, prov
		return fb, nil
	})
}

// BackupPrice implements PriceSource from the catalog: the live lookups do not cover backup
// storage.
func (b boundLive) BackupPrice(region string) (Price, error) { return b.l.catalog.BackupPrice(region) }

// ReservedOfferings implements PriceSource. The offerings are compared with the on-demand price
// of the same source: when the live node price fell back to the catalog, so do the offerings.
func (b boundLive) ReservedOfferings(region, engine, nodeType string) ([]ReservedOffering, error) {
	e, err := NormalizeEngine(engine)
	if err != nil {
		return nil, err
	}
	offers, err := memoize(b.l, b.l.reserved, memoKey{region, e, nodeType}, func() ([]ReservedOffering, error) {
		od, err := b.NodePrice(region, e, nodeType)
		if err != nil {
			return nil, err
		}
		var liveErr error
		if od.Origin != OriginPricingAPI {
			liveErr = &liveError{code: od.FallbackCode, msg: od.FallbackReason}
		} else {
			offers, err := b.fetchReserved(region, e, nodeType, od)
			if err == nil {
				return offers, nil
			}
			liveErr = err
		}
		fb, err := b.l.catalog.ReservedOfferings(region, e, nodeType)
		if err != nil {
			return nil, err
		}
		if len(fb) > 0 {
			prov := b.fallback(fb[0].Provenance, liveErr, "reserved offerings", map[string]any{"region": region, "engine": e, "node_type": nodeType})
			for i := range fb {
				fb[i].FallbackReason, fb[i].FallbackCode = prov.FallbackReason, prov.FallbackCode
			}
		}
		return fb, nil
	})
	return append([]ReservedOffering(nil), offers...), err
}

// fallback marks a catalog provenance as replacing a failed live lookup, and logs it.
func (b boundLive) fallback(p Provenance, liveErr error, what string, fields map[string]any) Provenance {
	p.FallbackCode = failureCode(liveErr)
	p.FallbackReason = liveErr.Error()
	f := map[string]any{"error": p.FallbackReason, "error_code": p.FallbackCode}
	for k, v := range fields {
		f[k] = v
	}
	tflog.Warn(b.ctx, "Live ElastiCache "+what+" unavailable; using the built-in price catalog", f)
	return p
}

// liveError is a failure of a live lookup that is not an AWS error.
type liveError struct{ code, msg string }

func (e *liveError) Error() string { return e.msg }

// failureCode is a short name for a failed lookup: the AWS error code when AWS answered.
func failureCode(err error) string {
	var le *liveError
	if errors.As(err, &le) && le.code != "" {
		return le.code
	}
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() != "" {
		return ae.ErrorCode()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "Timeout"
	}
	if errors.Is(err, context.Canceled) {
		return "Canceled"
	}
	return "RequestError"
}

// pricingEngine is the cacheEngine attribute value of the Price List API.
func pricingEngine(engine string) string {
	switch engine {
	case blueprint.EngineValkey:
		return "Valkey"
	case blueprint.EngineMemcached:
		return "Memcached"
	default:
		return "Redis"
	}
}

func termMatch(field, value string) pricingtypes.Filter {
	return pricingtypes.Filter{Type: pricingtypes.FilterTypeTermMatch, Field: aws.String(field), Value: aws.String(value)}
}

// PriceListProduct is the product half of a Price List entry as the lookups read it; the
// emulator's pricing test decodes the emulator's answers into it, so both read the same fields.
type PriceListProduct struct {
	ProductFamily string            `json:"productFamily"`
	Attributes    map[string]string `json:"attributes"`
	SKU           string            `json:"sku"`
}

// priceListItem is the part of a Price List product the lookups read.
type priceListItem struct {
	Product PriceListProduct `json:"product"`
	Terms   struct {
		OnDemand map[string]struct {
			EffectiveDate   string `json:"effectiveDate"`
			PriceDimensions map[string]struct {
				Unit         string            `json:"unit"`
				PricePerUnit map[string]string `json:"pricePerUnit"`
				Description  string            `json:"description"`
			} `json:"priceDimensions"`
		} `json:"OnDemand"`
	} `json:"terms"`
}

// onDemandPrice is one on-demand USD price of a product.
type onDemandPrice struct {
	usd           float64
	unit          string
	effectiveDate string
	usageType     string
}

// onDemand returns the product's on-demand USD prices, ordered by rate code for determinism.
func (it priceListItem) onDemand() []onDemandPrice {
	var termKeys []string
	for k := range it.Terms.OnDemand {
		termKeys = append(termKeys, k)
	}
	sort.Strings(termKeys)
	var out []onDemandPrice
	for _, tk := range termKeys {
		term := it.Terms.OnDemand[tk]
		var dimKeys []string
		for k := range term.PriceDimensions {
			dimKeys = append(dimKeys, k)
		}
		sort.Strings(dimKeys)
		for _, dk := range dimKeys {
			d := term.PriceDimensions[dk]
			raw, ok := d.PricePerUnit["USD"]
			if !ok {
				continue
			}
			v, err := strconv.ParseFloat(raw, 64)
			if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			out = append(out, onDemandPrice{usd: v, unit: d.Unit, effectiveDate: dateOnly(term.EffectiveDate), usageType: it.Product.Attributes["usagetype"]})
		}
	}
	return out
}

func dateOnly(s string) string {
	if len(s) >= 10 {
		return s[:10]
	}
	return s
}

// getProducts reads the price list pages matching the filters.
func (b boundLive) getProducts(filters []pricingtypes.Filter) ([]priceListItem, error) {
	if b.l.pricing == nil {
		return nil, &liveError{code: "NoPricingClient", msg: "no Pricing API client is configured"}
	}
	ctx, cancel := context.WithTimeout(b.ctx, liveLookupTimeout)
	defer cancel()
	in := &pricing.GetProductsInput{
		ServiceCode:   aws.String(pricingServiceCode),
		FormatVersion: aws.String("aws_v1"),
		Filters:       filters,
		MaxResults:    aws.Int32(100),
	}
	var items []priceListItem
	for page := 0; page < liveMaxPages; page++ {
		out, err := b.l.pricing.GetProducts(ctx, in, func(o *pricing.Options) { o.RetryMaxAttempts = liveMaxAttempts })
		if err != nil {
			return nil, err
		}
		for _, raw := range out.PriceList {
			var it priceListItem
			if err := json.Unmarshal([]byte(raw), &it); err != nil {
				return nil, &liveError{code: "BadPriceList", msg: fmt.Sprintf("a PriceList entry is not a price-list product: %v", err)}
			}
			items = append(items, it)
		}
		if out.NextToken == nil || *out.NextToken == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	return items, nil
}

func describeFilters(filters []pricingtypes.Filter) string {
	var parts []string
	for _, f := range filters {
		parts = append(parts, aws.ToString(f.Field)+"="+aws.ToString(f.Value))
	}
	return strings.Join(parts, ", ")
}

func (b boundLive) fetchNode(region, engine, nodeType string) (Price, error) {
	filters := []pricingtypes.Filter{
		termMatch("productFamily", "Cache Instance"),
		termMatch("regionCode", region),
		termMatch("instanceType", nodeType),
		termMatch("cacheEngine", pricingEngine(engine)),
	}
	items, err := b.getProducts(filters)
	if err != nil {
		return Price{}, err
	}
	// Prefer the plain node-usage product (not, e.g., extended-support surcharges); among equal
	// candidates take the lowest hourly price.
	var best *onDemandPrice
	for _, it := range items {
		for _, p := range it.onDemand() {
			if !strings.HasPrefix(strings.ToLower(p.unit), "hr") || p.usd <= 0 {
				continue
			}
			isNode := strings.Contains(p.usageType, "NodeUsage")
			switch {
			case best == nil:
				best = &p
			case isNode && !strings.Contains(best.usageType, "NodeUsage"):
				best = &p
			case isNode == strings.Contains(best.usageType, "NodeUsage") && p.usd < best.usd:
				best = &p
			}
		}
	}
	if best == nil {
		return Price{}, &liveError{code: "NoPrice", msg: fmt.Sprintf("the Pricing API has no on-demand hourly price for %s (%s)", nodeType, describeFilters(filters))}
	}
	return Price{USD: best.usd, Unit: UnitNodeHour, Provenance: Provenance{
		Origin: OriginPricingAPI,
		Source: "AWS Price List API GetProducts (" + pricingServiceCode + ": " + describeFilters(filters) + ")",
		AsOf:   best.effectiveDate,
	}}, nil
}

func (b boundLive) fetchServerless(region, engine string) (ServerlessPrice, error) {
	filters := []pricingtypes.Filter{
		termMatch("productFamily", "ElastiCache Serverless"),
		termMatch("regionCode", region),
		termMatch("cacheEngine", pricingEngine(engine)),
	}
	items, err := b.getProducts(filters)
	if err != nil {
		return ServerlessPrice{}, err
	}
	prov := Provenance{Origin: OriginPricingAPI, Source: "AWS Price List API GetProducts (" + pricingServiceCode + ": " + describeFilters(filters) + ")"}
	var data, ecpu *Price
	for _, it := range items {
		for _, p := range it.onDemand() {
			ut, unit := strings.ToLower(p.usageType), strings.ToLower(p.unit)
			pp := Price{Provenance: prov}
			pp.AsOf = p.effectiveDate
			switch {
			case strings.Contains(ut, "ecpu") || strings.Contains(unit, "ecpu"):
				pp.USD, pp.Unit = p.usd, UnitMillionECPUs
				if !strings.Contains(unit, "million") {
					pp.USD = p.usd * 1e6
				}
				if ecpu == nil {
					ecpu = &pp
				}
			case strings.Contains(ut, "cacheddata") || strings.Contains(ut, "storage") || strings.Contains(unit, "gb-h"):
				pp.USD, pp.Unit = p.usd, UnitGBHour
				if data == nil {
					data = &pp
				}
			}
		}
	}
	if data == nil || ecpu == nil {
		return ServerlessPrice{}, &liveError{code: "NoPrice", msg: fmt.Sprintf("the Pricing API has no serverless data-stored and ECPU prices for %s in %s (%s)", engine, region, describeFilters(filters))}
	}
	// The engine minimum is not in the price list; it is the same in every region.
	minimum := b.l.catalog.data.Serverless[engine].MinimumDataGB
	return ServerlessPrice{DataStored: *data, ECPU: *ecpu, MinimumDataGB: minimum}, nil
}

func (b boundLive) fetchReserved(region, engine, nodeType string, od Price) ([]ReservedOffering, error) {
	if b.l.elasticache == nil {
		return nil, &liveError{code: "NoElastiCacheClient", msg: "no ElastiCache client is configured"}
	}
	ctx, cancel := context.WithTimeout(b.ctx, liveLookupTimeout)
	defer cancel()
	pager := elasticache.NewDescribeReservedCacheNodesOfferingsPaginator(b.l.elasticache, &elasticache.DescribeReservedCacheNodesOfferingsInput{
		CacheNodeType:      aws.String(nodeType),
		ProductDescription: aws.String(engine),
		MaxRecords:         aws.Int32(100),
	})
	seen := map[string]bool{}
	var out []ReservedOffering
	for page := 0; pager.HasMorePages() && page < liveMaxPages; page++ {
		resp, err := pager.NextPage(ctx, func(o *elasticache.Options) {
			o.Region = region
			o.RetryMaxAttempts = liveMaxAttempts
		})
		if err != nil {
			return nil, err
		}
		for _, o := range resp.ReservedCacheNodesOfferings {
			option := aws.ToString(o.OfferingType)
			if paymentRank(option) > 2 || aws.ToString(o.CacheNodeType) != nodeType {
				continue // legacy Light/Medium/Heavy Utilization offerings, or another type
			}
			years := int(math.Round(float64(aws.ToInt32(o.Duration)) / secondsPerYear))
			if years != 1 && years != 3 {
				continue
			}
			key := fmt.Sprintf("%d/%s", years, option)
			if seen[key] {
				continue
			}
			seen[key] = true
			hourly := aws.ToFloat64(o.UsagePrice)
			for _, rc := range o.RecurringCharges {
				if strings.EqualFold(aws.ToString(rc.RecurringChargeFrequency), "Hourly") {
					hourly += aws.ToFloat64(rc.RecurringChargeAmount)
				}
			}
			out = append(out, ReservedOffering{
				TermYears: years, PaymentOption: option,
				UpfrontUSD: aws.ToFloat64(o.FixedPrice), HourlyUSD: hourly, OnDemandHourlyUSD: od.USD,
				Provenance: Provenance{
					Origin: OriginPricingAPI,
					Source: fmt.Sprintf("ElastiCache DescribeReservedCacheNodesOfferings (%s, %s, %s), against the Price List API on-demand price", region, nodeType, engine),
					AsOf:   od.AsOf,
				},
			})
		}
	}
	if len(out) == 0 {
		return nil, &liveError{code: "NoOfferings", msg: fmt.Sprintf("DescribeReservedCacheNodesOfferings lists no 1- or 3-year offerings for %s %s in %s", nodeType, engine, region)}
	}
	sortOfferings(out)
	return out, nil
}
