// Package cost prices ElastiCache deployments and recommends cheaper ways to run them.
//
// It has three parts:
//
//   - a built-in price catalog (catalog.go, data in catalog/elasticache-2025.json) covering the
//     node families in use, serverless dimensions, backup storage and reserved-node offerings for
//     us-east-1, us-west-2, eu-west-1, eu-central-1 and ap-southeast-1, each price carrying its
//     source and date;
//   - pure estimates (estimate.go) and recommendations (recommend.go) that work against any
//     PriceSource;
//   - a live PriceSource (live.go) that asks the AWS Pricing API and
//     DescribeReservedCacheNodesOfferings, falling back to the catalog price by price.
//
// Everything except live.go is pure: no AWS calls, no clock, deterministic output.
package cost

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// HoursPerMonth is the month AWS prices with (8760 h / 12).
const HoursPerMonth = 730.0

// Origins of a price.
const (
	// OriginCatalog marks a price from the built-in catalog.
	OriginCatalog = "catalog"
	// OriginPricingAPI marks a price answered by the AWS Pricing API or
	// DescribeReservedCacheNodesOfferings.
	OriginPricingAPI = "pricing-api"
)

// Engines lists the engines the catalog prices (blueprint's), sorted, for messages.
var Engines = sortedEngines()

func sortedEngines() []string {
	out := append([]string(nil), blueprint.Engines...)
	sort.Strings(out)
	return out
}

// Payment options of reserved nodes, spelled as AWS's OfferingType.
const (
	NoUpfront      = "No Upfront"
	PartialUpfront = "Partial Upfront"
	AllUpfront     = "All Upfront"
)

// Provenance says where a price came from.
type Provenance struct {
	// Origin is OriginCatalog or OriginPricingAPI.
	Origin string
	// Source is the AWS pricing page URL for catalog prices, or a description of the API call
	// for live ones.
	Source string
	// AsOf is the date (YYYY-MM-DD) the price was published or effective.
	AsOf string
	// Derived is empty for a published price, else "derived: <rule>".
	Derived string
	// FallbackReason is set when a live lookup failed and this catalog price replaced it; it
	// holds the error.
	FallbackReason string
	// FallbackCode is a short code for the failure (the AWS error code when there is one), used
	// in Estimate.Source.
	FallbackCode string
}

// label is how the provenance reads in Estimate.Source.
func (p Provenance) label() string {
	if p.Origin == OriginCatalog && p.FallbackCode != "" {
		return fmt.Sprintf("catalog (pricing-api failed: %s)", p.FallbackCode)
	}
	if p.Origin == "" {
		return OriginCatalog
	}
	return p.Origin
}

// Price is one price with its provenance.
type Price struct {
	USD float64
	// Unit names what USD is paid for, e.g. "node-hour", "GB-hour", "million ECPUs", "GB-month".
	Unit string
	Provenance
}

// Units of the prices.
const (
	UnitNodeHour     = "node-hour"
	UnitGBHour       = "GB-hour"
	UnitMillionECPUs = "million ECPUs"
	UnitGBMonth      = "GB-month"
)

// ServerlessPrice holds the serverless dimensions of one engine in one region.
type ServerlessPrice struct {
	// DataStored is per GB-hour of data stored.
	DataStored Price
	// ECPU is per million ElastiCache Processing Units.
	ECPU Price
	// MinimumDataGB is the data billed at least, per hour (Valkey 0.1 GB, Redis OSS and
	// Memcached 1 GB).
	MinimumDataGB float64
}

// ReservedOffering is one reserved-node offering for one node (term x payment option).
type ReservedOffering struct {
	TermYears     int
	PaymentOption string // NoUpfront, PartialUpfront or AllUpfront
	// UpfrontUSD is paid once per node at purchase.
	UpfrontUSD float64
	// HourlyUSD is paid per node-hour over the whole term, used or not.
	HourlyUSD float64
	// OnDemandHourlyUSD is the on-demand price, from the same source, that the offering saves
	// against.
	OnDemandHourlyUSD float64
	Provenance
}

// TermHours is the length of the term in hours.
func (o ReservedOffering) TermHours() float64 { return float64(o.TermYears) * 12 * HoursPerMonth }

// TermMonths is the length of the term in months.
func (o ReservedOffering) TermMonths() int { return o.TermYears * 12 }

// EffectiveHourlyUSD spreads the upfront payment over the term.
func (o ReservedOffering) EffectiveHourlyUSD() float64 {
	h := o.TermHours()
	if h == 0 {
		return o.HourlyUSD
	}
	return o.HourlyUSD + o.UpfrontUSD/h
}

// EffectiveMonthlyUSD is the effective cost of one node per month.
func (o ReservedOffering) EffectiveMonthlyUSD() float64 {
	return o.EffectiveHourlyUSD() * HoursPerMonth
}

// SavingsFraction is the share of the on-demand cost the offering saves over its term (0.55 for
// 55 %).
func (o ReservedOffering) SavingsFraction() float64 {
	if o.OnDemandHourlyUSD <= 0 {
		return 0
	}
	return 1 - o.EffectiveHourlyUSD()/o.OnDemandHourlyUSD
}

// BreakEvenMonth is the first month at whose end the reservation has cost no more than
// on-demand would have (1 for No Upfront offerings that save anything); 0 when it never does.
func (o ReservedOffering) BreakEvenMonth() int {
	perMonthSaving := (o.OnDemandHourlyUSD - o.HourlyUSD) * HoursPerMonth
	if perMonthSaving <= 0 {
		return 0
	}
	if o.UpfrontUSD <= 0 {
		return 1
	}
	m := int(math.Ceil(o.UpfrontUSD/perMonthSaving - 1e-9))
	if m < 1 {
		m = 1
	}
	if m > o.TermMonths() {
		return 0
	}
	return m
}

// PriceSource answers prices. The catalog (DefaultCatalog) is one; LiveSource is another.
// Implementations return errors that name the unknown region, engine or node type and list the
// valid ones.
type PriceSource interface {
	// NodePrice is the on-demand price of one node per hour.
	NodePrice(region, engine, nodeType string) (Price, error)
	// ServerlessPrice is the serverless dimensions of an engine.
	ServerlessPrice(region, engine string) (ServerlessPrice, error)
	// BackupPrice is the snapshot storage price per GB-month.
	BackupPrice(region string) (Price, error)
	// ReservedOfferings lists the reserved-node offerings of a node type, ordered by term then
	// payment option (No, Partial, All Upfront).
	ReservedOfferings(region, engine, nodeType string) ([]ReservedOffering, error)
}

// NormalizeEngine lowercases and checks an engine name.
func NormalizeEngine(engine string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(engine))
	switch e {
	case blueprint.EngineValkey, blueprint.EngineRedis, blueprint.EngineMemcached:
		return e, nil
	}
	return "", inputError(InputEngine, fmt.Sprintf("unknown engine %q: valid engines are %s", engine, strings.Join(Engines, ", ")))
}

// paymentRank orders payment options No < Partial < All Upfront.
func paymentRank(option string) int {
	switch option {
	case NoUpfront:
		return 0
	case PartialUpfront:
		return 1
	case AllUpfront:
		return 2
	}
	return 3
}

// sortOfferings orders offerings by term, then payment option.
func sortOfferings(offers []ReservedOffering) {
	sort.SliceStable(offers, func(i, j int) bool {
		if offers[i].TermYears != offers[j].TermYears {
			return offers[i].TermYears < offers[j].TermYears
		}
		return paymentRank(offers[i].PaymentOption) < paymentRank(offers[j].PaymentOption)
	})
}

// roundTo rounds x to the given number of decimals.
func roundTo(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}

// cents rounds to whole cents.
func cents(x float64) float64 { return roundTo(x, 2) }
