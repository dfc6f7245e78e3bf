package cost

import (
	"fmt"
	"math"
	"strings"
)

// Estimate is the cost of one deployment. Monthly figures use 730 hours a month.
type Estimate struct {
	// HourlyUSD is MonthlyUSD / 730, rounded to 1/10,000 USD (node prices are fractions of a
	// cent, so cents would hide differences between node types).
	HourlyUSD float64
	// MonthlyUSD is the sum of the breakdown, in cents.
	MonthlyUSD float64
	// MonthlyUSDMin and MonthlyUSDMax bound the monthly cost over what may change without a
	// configuration change: the autoscaling range of a provisioned group, the minimums and
	// limits of a serverless cache. MaxUnbounded is set when nothing caps it (serverless
	// without both limits); MonthlyUSDMax is then 0.
	MonthlyUSDMin, MonthlyUSDMax float64
	MaxUnbounded                 bool
	Breakdown                    Breakdown
	// Source is "catalog", "pricing-api", "catalog (pricing-api failed: <code>)", or several of
	// these joined by " + " when the prices came from different places.
	Source string
	// AsOf is the oldest date among the prices used.
	AsOf string
}

// Breakdown splits the monthly cost in USD, each rounded to cents.
type Breakdown struct {
	// Nodes is node-hours (provisioned).
	Nodes float64
	// Storage is data stored (serverless GB-hours).
	Storage float64
	// ECPU is ElastiCache Processing Units (serverless).
	ECPU float64
	// Backups is snapshot storage beyond the free allowance.
	Backups float64
	// CrossRegionReplication is the inter-Region data transfer a Global Datastore primary pays
	// to replicate its writes to one secondary region (CrossRegionReplicationUSD).
	CrossRegionReplication float64
}

// ProvisionedSpec describes a node-based deployment.
type ProvisionedSpec struct {
	Region   string
	Engine   string
	NodeType string
	// Nodes is the total node count: shards x (1 + replicas per shard).
	Nodes int
	// SnapshotRetentionDays is the number of daily automatic snapshots kept (0 = none).
	SnapshotRetentionDays int
	// DataGB is the expected data set; it sizes the snapshots. 0 prices no backups.
	DataGB float64
}

// ServerlessSpec describes a serverless cache.
type ServerlessSpec struct {
	Region string
	Engine string
	// DataGB is the average data stored.
	DataGB float64
	// ECPUPerSecond is the average ECPU rate.
	ECPUPerSecond float64
	// MaxDataGB and MaxECPUPerSecond are the cache usage limits; 0 means unlimited.
	MaxDataGB        float64
	MaxECPUPerSecond float64
	// MinDataGB and MinECPUPerSecond are the pre-scaling minimums, billed as a floor; 0 = none.
	MinDataGB        float64
	MinECPUPerSecond float64
	// SnapshotRetentionDays is the number of daily snapshots kept (0 = none).
	SnapshotRetentionDays int
}

// MaxSnapshotRetentionDays is ElastiCache's limit on automatic snapshot retention.
const MaxSnapshotRetentionDays = 35

// EstimateProvisioned prices a node-based deployment: nodes x on-demand node price x 730 h,
// plus snapshot storage. ElastiCache keeps one snapshot of each active cluster free, so with
// daily snapshots kept for N days, N-1 snapshots of DataGB each are billed per GB-month.
func EstimateProvisioned(src PriceSource, spec ProvisionedSpec) (Estimate, error) {
	if src == nil {
		src = DefaultCatalog()
	}
	if spec.Nodes < 1 {
		return Estimate{}, fmt.Errorf("node count must be at least 1, got %d", spec.Nodes)
	}
	if err := checkCommon(spec.Engine, spec.DataGB, spec.SnapshotRetentionDays); err != nil {
		return Estimate{}, err
	}
	node, err := src.NodePrice(spec.Region, spec.Engine, spec.NodeType)
	if err != nil {
		return Estimate{}, err
	}
	used := []Provenance{node.Provenance}
	b := Breakdown{Nodes: cents(float64(spec.Nodes) * node.USD * HoursPerMonth)}
	if billed := float64(max(spec.SnapshotRetentionDays-1, 0)) * spec.DataGB; billed > 0 {
		backup, err := src.BackupPrice(spec.Region)
		if err != nil {
			return Estimate{}, err
		}
		used = append(used, backup.Provenance)
		b.Backups = cents(billed * backup.USD)
	}
	return finish(b, used), nil
}

// EstimateServerless prices a serverless cache: data stored (at least the engine's minimum and
// MinDataGB, at most MaxDataGB) per GB-hour, ECPUs (at least MinECPUPerSecond, at most
// MaxECPUPerSecond) per million, and snapshot
// storage (daily snapshots of the data kept SnapshotRetentionDays days) per GB-month.
func EstimateServerless(src PriceSource, spec ServerlessSpec) (Estimate, error) {
	if src == nil {
		src = DefaultCatalog()
	}
	if err := checkCommon(spec.Engine, spec.DataGB, spec.SnapshotRetentionDays); err != nil {
		return Estimate{}, err
	}
	for _, v := range []float64{spec.ECPUPerSecond, spec.MaxDataGB, spec.MaxECPUPerSecond, spec.MinDataGB, spec.MinECPUPerSecond} {
		if v < 0 || isBad(v) {
			return Estimate{}, fmt.Errorf("ECPU rate, usage limits and minimums must be finite numbers of at least 0 (0 = none)")
		}
	}
	p, err := src.ServerlessPrice(spec.Region, spec.Engine)
	if err != nil {
		return Estimate{}, err
	}
	used := []Provenance{p.DataStored.Provenance, p.ECPU.Provenance}
	data := BilledServerlessDataGB(spec.DataGB, spec.MaxDataGB, math.Max(p.MinimumDataGB, spec.MinDataGB))
	ecpu := spec.ECPUPerSecond
	if spec.MaxECPUPerSecond > 0 {
		ecpu = math.Min(ecpu, spec.MaxECPUPerSecond)
	}
	// A pre-scaled cache is billed for its minimum whatever it uses.
	ecpu = math.Max(ecpu, spec.MinECPUPerSecond)
	b := Breakdown{
		Storage: cents(data * p.DataStored.USD * HoursPerMonth),
		ECPU:    cents(ecpu * 3600 * HoursPerMonth / 1e6 * p.ECPU.USD),
	}
	if spec.SnapshotRetentionDays > 0 {
		backup, err := src.BackupPrice(spec.Region)
		if err != nil {
			return Estimate{}, err
		}
		used = append(used, backup.Provenance)
		b.Backups = cents(float64(spec.SnapshotRetentionDays) * data * backup.USD)
	}
	return finish(b, used), nil
}

// BilledServerlessDataGB is the data a serverless cache is billed for: the data set, capped by
// the usage limit (the cache evicts beyond it), and never below the engine's minimum.
func BilledServerlessDataGB(dataGB, maxDataGB, minimumGB float64) float64 {
	d := dataGB
	if maxDataGB > 0 {
		d = math.Min(d, maxDataGB)
	}
	return math.Max(d, minimumGB)
}

func checkCommon(engine string, dataGB float64, retention int) error {
	if _, err := NormalizeEngine(engine); err != nil {
		return err
	}
	if dataGB < 0 || isBad(dataGB) {
		return fmt.Errorf("data size must be a finite number of GB of at least 0, got %v", dataGB)
	}
	if retention < 0 || retention > MaxSnapshotRetentionDays {
		return fmt.Errorf("snapshot retention must be between 0 and %d days, got %d", MaxSnapshotRetentionDays, retention)
	}
	return nil
}

func isBad(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

func finish(b Breakdown, used []Provenance) Estimate {
	monthly := cents(b.Nodes + b.Storage + b.ECPU + b.Backups + b.CrossRegionReplication)
	return Estimate{
		HourlyUSD:     roundTo(monthly/HoursPerMonth, 4),
		MonthlyUSD:    monthly,
		MonthlyUSDMin: monthly,
		MonthlyUSDMax: monthly,
		Breakdown:     b,
		Source:        combineSources(used),
		AsOf:          oldest(used),
	}
}

// combineSources joins the distinct provenance labels in order of first use.
func combineSources(used []Provenance) string {
	var labels []string
	seen := map[string]bool{}
	for _, p := range used {
		l := p.label()
		if !seen[l] {
			seen[l] = true
			labels = append(labels, l)
		}
	}
	return strings.Join(labels, " + ")
}

func oldest(used []Provenance) string {
	out := ""
	for _, p := range used {
		if p.AsOf != "" && (out == "" || p.AsOf < out) {
			out = p.AsOf
		}
	}
	return out
}
