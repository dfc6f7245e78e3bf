package cost

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// Recommendation kinds.
const (
	KindReservedNodes = "reserved_nodes"
	KindServerless    = "serverless"
	KindProvisioned   = "provisioned"
	KindRightSize     = "right_size"
)

// Load patterns.
const (
	PatternSteady = "steady"
	PatternSpiky  = "spiky"
)

// Patterns lists the load patterns.
var Patterns = []string{PatternSteady, PatternSpiky}

// Capacity model. These are planning figures, not guarantees; they decide how many nodes a
// provisioned deployment needs for a load and when nodes are oversized.
const (
	// UsableMemoryFraction is the share of a node's memory left for data after ElastiCache's
	// default reserved memory (25 %) for replication buffers, snapshots and overhead.
	UsableMemoryFraction = 0.75
	// MaxDataFill is the highest share of usable memory a sized deployment fills, leaving
	// headroom below the 80 % memory alarm.
	MaxDataFill = 0.70
	// RightSizeThreshold: nodes whose usable memory the expected data fills less than this share
	// are oversized.
	RightSizeThreshold = 0.25
	// ECPUPerSecondPerVCPU is the ECPU rate (KB-requests per second) one vCPU serves at a
	// comfortable CPU load.
	ECPUPerSecondPerVCPU = 25000
	// MaxECPUPerSecondPerNode caps one node's rate (AWS quotes about a million requests per
	// second per node with enhanced I/O).
	MaxECPUPerSecondPerNode = 1_000_000
	// BurstableBaseline is the CPU share burstable (t2, t3, t4g) nodes sustain without CPU
	// credits; sized deployments count burstable vCPUs at this share.
	BurstableBaseline = 0.20
	// DefaultSpikyPeakToAverage is assumed for a spiky load without a peak-to-average ratio.
	DefaultSpikyPeakToAverage = 3
	// ShardTolerance: among sized deployments within this share of the cheapest, the one with
	// the fewest shards wins (a few cents do not justify cluster mode).
	ShardTolerance = 0.10
	// MaxNodes is the most nodes a sized deployment may have.
	MaxNodes = 500
)

// sizingFamilies are the families a provisioned alternative is sized from: current-generation
// Graviton burstable, general-purpose and memory-optimized nodes.
var sizingFamilies = []string{"t4g", "m7g", "r7g"}

// ExpectedLoad is what the cache is expected to carry.
type ExpectedLoad struct {
	// DataGB is the data set in GB.
	DataGB float64
	// RequestsPerSecond is the average request rate.
	RequestsPerSecond float64
	// AvgRequestKB is the average data transferred per request (0 = 1 KB).
	AvgRequestKB float64
	// Pattern is "steady" or "spiky" ("" = steady).
	Pattern string
	// PeakToAverage is the ratio of peak to average request rate (0 = 1 for steady loads, 3 for
	// spiky ones).
	PeakToAverage float64
	// WriteFraction is the share of requests that write, 0..1 (0 = not estimated). Only writes
	// cross regions in a Global Datastore.
	WriteFraction float64
}

// NormalizeLoad applies the defaults and checks the values.
func NormalizeLoad(l ExpectedLoad) (ExpectedLoad, error) {
	if l.Pattern == "" {
		l.Pattern = PatternSteady
	}
	l.Pattern = strings.ToLower(l.Pattern)
	if l.Pattern != PatternSteady && l.Pattern != PatternSpiky {
		return l, fmt.Errorf("unknown load pattern %q: valid patterns are %s", l.Pattern, strings.Join(Patterns, ", "))
	}
	for name, v := range map[string]float64{"data_gb": l.DataGB, "requests_per_second": l.RequestsPerSecond, "avg_request_kb": l.AvgRequestKB, "peak_to_average": l.PeakToAverage, "write_fraction": l.WriteFraction} {
		if v < 0 || isBad(v) {
			return l, fmt.Errorf("%s must be a finite number of at least 0, got %v", name, v)
		}
	}
	if l.AvgRequestKB == 0 {
		l.AvgRequestKB = 1
	}
	if l.PeakToAverage == 0 {
		l.PeakToAverage = 1
		if l.Pattern == PatternSpiky {
			l.PeakToAverage = DefaultSpikyPeakToAverage
		}
	}
	if l.WriteFraction > 1 {
		return l, fmt.Errorf("write_fraction is the share of requests that write: between 0 and 1, got %v", l.WriteFraction)
	}
	if l.PeakToAverage < 1 {
		return l, fmt.Errorf("peak_to_average must be at least 1 (the peak is never below the average), got %v", l.PeakToAverage)
	}
	return l, nil
}

// ECPUPerRequest is about 1 ECPU per KB transferred, at least 1 per request.
func ECPUPerRequest(avgRequestKB float64) float64 { return math.Max(1, avgRequestKB) }

// AverageECPUPerSecond is the load's average ECPU rate.
func (l ExpectedLoad) AverageECPUPerSecond() float64 {
	return l.RequestsPerSecond * ECPUPerRequest(l.AvgRequestKB)
}

// PeakECPUPerSecond is the load's peak ECPU rate.
func (l ExpectedLoad) PeakECPUPerSecond() float64 {
	return l.AverageECPUPerSecond() * math.Max(1, l.PeakToAverage)
}

// Recommendation is one way to pay less, or a confirmation that the deployment already fits.
type Recommendation struct {
	// Kind is KindReservedNodes, KindServerless, KindProvisioned or KindRightSize.
	Kind string
	// Summary says what to do and what it costs, in one paragraph.
	Summary string
	// MonthlySavingsUSD is what following the recommendation saves a month against the
	// deployment as configured (0 when it confirms the configuration).
	MonthlySavingsUSD float64
}

// RecommendInput is the deployment as configured plus, optionally, its expected load.
type RecommendInput struct {
	Region string
	Engine string
	// Mode is "provisioned" ("" = provisioned) or "serverless".
	Mode string
	// Provisioned settings.
	NodeType         string
	Shards           int // 0 = 1
	ReplicasPerShard int
	// Autoscaling range of the provisioned counts (0 = not autoscaled: the configured count).
	ShardsMin, ShardsMax     int
	ReplicasMin, ReplicasMax int
	// Serverless usage limits (0 = unlimited) and pre-scaling minimums (0 = none).
	MaxDataGB        float64
	MaxECPUPerSecond float64
	MinDataGB        float64
	MinECPUPerSecond float64

	SnapshotRetentionDays int
	// ReplicaRegions is the number of other regions the deployment replicates its writes to (a
	// Global Datastore primary; 0 = none), priced by CrossRegionReplicationUSD.
	ReplicaRegions int
	// Load is the expected load; without it only reserved_nodes is considered.
	Load *ExpectedLoad
}

func (in RecommendInput) shards() int { return max(in.Shards, 1) }

func (in RecommendInput) nodes() int { return in.shards() * (1 + max(in.ReplicasPerShard, 0)) }

// floorNodes is the node count autoscaling never goes below (the configured count without
// autoscaling): what a reservation should cover, since every reserved node is then always used.
func (in RecommendInput) floorNodes() int {
	return orCount(in.ShardsMin, in.shards()) * (1 + orCount(in.ReplicasMin, max(in.ReplicasPerShard, 0)))
}

// ceilingNodes is the node count autoscaling may reach (the configured count without it).
func (in RecommendInput) ceilingNodes() int {
	return orCount(in.ShardsMax, in.shards()) * (1 + orCount(in.ReplicasMax, max(in.ReplicasPerShard, 0)))
}

// autoscaled reports whether a count of the deployment follows load.
func (in RecommendInput) autoscaled() bool { return in.ShardsMax > 0 || in.ReplicasMax > 0 }

// orCount is bound when an autoscaling range is set (bound > 0), else the configured count.
func orCount(bound, configured int) int {
	if bound > 0 {
		return bound
	}
	return configured
}

// Recommend returns the recommendations for a deployment, in a fixed order: reserved_nodes
// (provisioned only), then serverless or provisioned (with an expected load), then right_size
// (provisioned with an expected load whose data leaves the nodes mostly empty). A kind whose
// prices are unavailable is left out.
//
//   - reserved_nodes: the term and payment option with the highest savings for the configured
//     node count, with its upfront payment, effective monthly cost, savings percentage and
//     break-even month, and the 1-year No Upfront option as the low-commitment alternative.
//   - serverless / provisioned: the cheaper of a serverless cache for the load (average data and
//     ECPU rate) and nodes sized for the load's peak (the configured nodes when they hold it and
//     cost no more, else the cheapest t4g / m7g / r7g deployment that does). Steady loads price nodes with
//     1-year No Upfront reservations (the seeds: steady -> nodes + reservations); spiky loads
//     price them on demand and so tend to serverless (spiky -> serverless).
//   - right_size: the smallest node of the same family that holds the expected data with
//     headroom (and the peak rate), when the data fills less than 25 % of the usable memory.
func Recommend(src PriceSource, in RecommendInput) []Recommendation {
	if src == nil {
		src = DefaultCatalog()
	}
	engine, err := NormalizeEngine(in.Engine)
	if err != nil {
		return nil
	}
	in.Engine = engine
	mode := in.Mode
	if mode == "" {
		mode = blueprint.ModeProvisioned
	}
	in.Mode = mode

	var load *ExpectedLoad
	if in.Load != nil {
		if l, err := NormalizeLoad(*in.Load); err == nil {
			load = &l
		}
	}

	var out []Recommendation
	if mode == blueprint.ModeProvisioned {
		if r, ok := recommendReserved(src, in); ok {
			out = append(out, r)
		}
	}
	if load != nil {
		if r, ok := recommendMode(src, in, *load); ok {
			out = append(out, r)
		}
		if mode == blueprint.ModeProvisioned {
			if r, ok := recommendRightSize(src, in, *load); ok {
				out = append(out, r)
			}
		}
	}
	return out
}

// BestReservedOffering is the offering with the highest savings (ties: the smaller upfront).
func BestReservedOffering(offers []ReservedOffering) (ReservedOffering, bool) {
	var best ReservedOffering
	found := false
	for _, o := range offers {
		if o.OnDemandHourlyUSD <= 0 {
			continue
		}
		s := o.SavingsFraction()
		if !found || s > best.SavingsFraction()+1e-9 || (math.Abs(s-best.SavingsFraction()) <= 1e-9 && o.UpfrontUSD < best.UpfrontUSD) {
			best, found = o, true
		}
	}
	return best, found && best.SavingsFraction() > 0
}

func findOffering(offers []ReservedOffering, years int, option string) (ReservedOffering, bool) {
	for _, o := range offers {
		if o.TermYears == years && o.PaymentOption == option && o.OnDemandHourlyUSD > 0 {
			return o, true
		}
	}
	return ReservedOffering{}, false
}

func recommendReserved(src PriceSource, in RecommendInput) (Recommendation, bool) {
	if in.NodeType == "" {
		return Recommendation{}, false
	}
	offers, err := src.ReservedOfferings(in.Region, in.Engine, in.NodeType)
	if err != nil {
		return Recommendation{}, false
	}
	best, ok := BestReservedOffering(offers)
	if !ok {
		return Recommendation{}, false
	}
	// With autoscaling, only the floor is always running: reserving more would pay for idle
	// reservations whenever the group scales in.
	count := in.floorNodes()
	n := float64(count)
	onDemand := best.OnDemandHourlyUSD * HoursPerMonth * n
	effective := best.EffectiveMonthlyUSD() * n
	savings := cents(onDemand - effective)
	var b strings.Builder
	fmt.Fprintf(&b, "Reserve %d x %s for %s, %s: %s upfront, then %s/month effective instead of %s/month on demand (%s saving, %s/month)",
		count, in.NodeType, years(best.TermYears), best.PaymentOption, usd(best.UpfrontUSD*n), usd(effective), usd(onDemand),
		pct(best.SavingsFraction()), usd(savings))
	if in.autoscaled() {
		fmt.Fprintf(&b, " (the autoscaling floor; nodes above it, up to %d, run on demand)", in.ceilingNodes())
	}
	if m := best.BreakEvenMonth(); m > 0 {
		fmt.Fprintf(&b, "; breaks even in month %d of %d", m, best.TermMonths())
	}
	b.WriteString(".")
	if low, ok := findOffering(offers, 1, NoUpfront); ok && (low.TermYears != best.TermYears || low.PaymentOption != best.PaymentOption) && low.SavingsFraction() > 0 {
		fmt.Fprintf(&b, " Lower commitment: 1 year, No Upfront saves %s (%s/month) with nothing upfront.",
			pct(low.SavingsFraction()), usd(cents((low.OnDemandHourlyUSD-low.EffectiveHourlyUSD())*HoursPerMonth*n)))
	}
	return Recommendation{Kind: KindReservedNodes, Summary: b.String(), MonthlySavingsUSD: savings}, true
}

// nodeCapacity is the ECPU rate one node serves under the capacity model.
func nodeCapacity(n blueprint.NodeType) float64 {
	c := float64(n.VCPU) * ECPUPerSecondPerVCPU
	if isBurstable(n.Family) {
		c *= BurstableBaseline
	}
	return math.Min(c, MaxECPUPerSecondPerNode)
}

func isBurstable(family string) bool { return strings.HasPrefix(family, "t") }

// nodeDataCapacity is the data one node holds with headroom.
func nodeDataCapacity(n blueprint.NodeType) float64 {
	return n.MemoryGiB * UsableMemoryFraction * MaxDataFill
}

// Deployment is a sized provisioned deployment.
type Deployment struct {
	NodeType         string
	Shards           int
	ReplicasPerShard int
	// HourlyUSD is the on-demand price of one node.
	HourlyUSD float64
}

// Nodes is the total node count.
func (d Deployment) Nodes() int { return d.Shards * (1 + d.ReplicasPerShard) }

// MonthlyUSD is the on-demand node cost a month.
func (d Deployment) MonthlyUSD() float64 { return float64(d.Nodes()) * d.HourlyUSD * HoursPerMonth }

func (d Deployment) String() string {
	if d.Shards == 1 {
		return fmt.Sprintf("%d x %s (1 shard, %d replica%s)", d.Nodes(), d.NodeType, d.ReplicasPerShard, plural(d.ReplicasPerShard))
	}
	return fmt.Sprintf("%d x %s (%d shards, %d replica%s each)", d.Nodes(), d.NodeType, d.Shards, d.ReplicasPerShard, plural(d.ReplicasPerShard))
}

// shardsFor is the number of shards of node type n that hold the load's data with headroom and
// its peak rate on the primaries.
func shardsFor(n blueprint.NodeType, load ExpectedLoad) int {
	byData := int(math.Ceil(load.DataGB/nodeDataCapacity(n) - 1e-9))
	byRate := int(math.Ceil(load.PeakECPUPerSecond()/nodeCapacity(n) - 1e-9))
	return max(byData, byRate, 1)
}

// SizeProvisioned returns the cheapest on-demand t4g / m7g / r7g deployment that holds the
// load's data with headroom and its peak ECPU rate on the primaries, with the given replicas per
// shard. Burstable (t4g) nodes are only considered for a single shard: a fleet of small
// burstable nodes is not a production design. Among deployments within 10 % of the cheapest,
// the one with the fewest shards wins.
func SizeProvisioned(src PriceSource, region, engine string, replicasPerShard int, load ExpectedLoad) (Deployment, bool) {
	var cands []Deployment
	for _, fam := range sizingFamilies {
		for _, n := range blueprint.NodeTypesInFamily(fam) {
			shards := shardsFor(n, load)
			if shards*(1+replicasPerShard) > MaxNodes || (isBurstable(fam) && shards > 1) {
				continue
			}
			p, err := src.NodePrice(region, engine, n.Name)
			if err != nil {
				continue
			}
			cands = append(cands, Deployment{NodeType: n.Name, Shards: shards, ReplicasPerShard: replicasPerShard, HourlyUSD: p.USD})
		}
	}
	if len(cands) == 0 {
		return Deployment{}, false
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i].MonthlyUSD(), cands[j].MonthlyUSD()
		if a != b {
			return a < b
		}
		return cands[i].NodeType < cands[j].NodeType
	})
	cheapest := cands[0].MonthlyUSD()
	best := cands[0]
	for _, c := range cands[1:] {
		if c.MonthlyUSD() > cheapest*(1+ShardTolerance) {
			break
		}
		if c.Shards < best.Shards || (c.Shards == best.Shards && c.Nodes() < best.Nodes()) {
			best = c
		}
	}
	return best, true
}

// fits reports whether a configured deployment holds the load (data without headroom, peak rate
// on the primaries).
func fits(n blueprint.NodeType, shards int, load ExpectedLoad) bool {
	s := float64(shards)
	return load.DataGB/s <= n.MemoryGiB*UsableMemoryFraction && load.PeakECPUPerSecond()/s <= nodeCapacity(n)
}

// modeOptions are the two ways to run a load, priced: serverless, and nodes (the configured
// ones when they hold the load, else a sized deployment).
type modeOptions struct {
	sless          Estimate
	sspec          ServerlessSpec
	dep            Deployment
	configuredFits bool   // dep is the configured deployment
	configuredNote string // the configured nodes hold the load too, but cost more than dep
	provOnDemand   float64
	provCost       float64 // with 1-year reservations for a steady load
	reservedNote   string
	current        float64 // what the deployment costs as configured; NaN when unknown
}

func recommendMode(src PriceSource, in RecommendInput, load ExpectedLoad) (Recommendation, bool) {
	o, ok := priceModes(src, in, load)
	if !ok {
		return Recommendation{}, false
	}
	return modeRecommendation(src, in, load, o), true
}

// priceModes prices both modes for the load; ok is false when either cannot be priced.
func priceModes(src PriceSource, in RecommendInput, load ExpectedLoad) (o modeOptions, ok bool) {
	// Serverless: average data and ECPU rate; the configured limits when the deployment is
	// serverless.
	o.sspec = ServerlessSpec{Region: in.Region, Engine: in.Engine, DataGB: load.DataGB, ECPUPerSecond: load.AverageECPUPerSecond(), SnapshotRetentionDays: in.SnapshotRetentionDays}
	if in.Mode == blueprint.ModeServerless {
		o.sspec.MaxDataGB, o.sspec.MaxECPUPerSecond = in.MaxDataGB, in.MaxECPUPerSecond
		o.sspec.MinDataGB, o.sspec.MinECPUPerSecond = in.MinDataGB, in.MinECPUPerSecond
	}
	var err error
	if o.sless, err = EstimateServerless(src, o.sspec); err != nil {
		return o, false
	}
	if !o.chooseNodes(src, in, load) {
		return o, false
	}
	pest, err := EstimateProvisioned(src, ProvisionedSpec{Region: in.Region, Engine: in.Engine, NodeType: o.dep.NodeType, Nodes: o.dep.Nodes(), SnapshotRetentionDays: in.SnapshotRetentionDays, DataGB: load.DataGB})
	if err != nil {
		return o, false
	}
	o.provOnDemand, o.provCost = pest.MonthlyUSD, pest.MonthlyUSD
	if load.Pattern == PatternSteady {
		if offers, err := src.ReservedOfferings(in.Region, in.Engine, o.dep.NodeType); err == nil {
			if r, ok := findOffering(offers, 1, NoUpfront); ok && r.SavingsFraction() > 0 {
				o.provCost = cents(o.provOnDemand - (r.OnDemandHourlyUSD-r.EffectiveHourlyUSD())*HoursPerMonth*float64(o.dep.Nodes()))
				o.reservedNote = fmt.Sprintf(", %s/month with 1-year No Upfront reserved nodes", usd(o.provCost))
			}
		}
	}
	o.current = o.sless.MonthlyUSD
	if in.Mode == blueprint.ModeProvisioned {
		o.current = math.NaN()
		if in.NodeType != "" {
			if e, err := EstimateProvisioned(src, ProvisionedSpec{Region: in.Region, Engine: in.Engine, NodeType: in.NodeType, Nodes: in.nodes(), SnapshotRetentionDays: in.SnapshotRetentionDays, DataGB: load.DataGB}); err == nil {
				o.current = e.MonthlyUSD
			}
		}
	}
	return o, true
}

// chooseNodes picks the node deployment for the load: the configured nodes when they hold it
// for no more than a sized deployment, else the sized one. It is false when none fits.
func (o *modeOptions) chooseNodes(src PriceSource, in RecommendInput, load ExpectedLoad) bool {
	replicas := 1
	if in.Engine == blueprint.EngineMemcached {
		replicas = 0
	}
	configured := in.Mode == blueprint.ModeProvisioned && in.NodeType != ""
	if configured {
		replicas = max(in.ReplicasPerShard, 0)
	}
	dep, sized := SizeProvisioned(src, in.Region, in.Engine, replicas, load)
	o.dep = dep
	if !configured {
		return sized
	}
	n, ok := blueprint.LookupNodeType(in.NodeType)
	if !ok || !fits(n, in.shards(), load) {
		return sized
	}
	p, err := src.NodePrice(in.Region, in.Engine, in.NodeType)
	if err != nil {
		return sized
	}
	conf := Deployment{NodeType: in.NodeType, Shards: in.shards(), ReplicasPerShard: replicas, HourlyUSD: p.USD}
	if !sized || conf.MonthlyUSD() <= dep.MonthlyUSD() {
		o.dep, o.configuredFits = conf, true
		return true
	}
	o.configuredNote = fmt.Sprintf(" (the configured %s hold it too, for %s/month on demand)", conf.String(), usd(conf.MonthlyUSD()))
	return true
}

// modeRecommendation words the cheaper mode as a recommendation, with the figures of both.
func modeRecommendation(src PriceSource, in RecommendInput, load ExpectedLoad, o modeOptions) Recommendation {
	loadText := fmt.Sprintf("%s GB, %s requests/s of %s KB on average", num(load.DataGB), num(load.RequestsPerSecond), num(load.AvgRequestKB))
	if load.Pattern == PatternSpiky {
		loadText += fmt.Sprintf(", peaks %sx the average", num(load.PeakToAverage))
	}
	sText := fmt.Sprintf("serverless %s costs %s/month (%s of data stored, %s ECPU/s on average)",
		in.Engine, usd(o.sless.MonthlyUSD), gbText(BilledServerlessDataGB(load.DataGB, o.sspec.MaxDataGB, serverlessMinimum(src, in))), num(load.AverageECPUPerSecond()))
	which := "sized for"
	if o.configuredFits {
		which = "as configured, which hold"
	}
	pText := fmt.Sprintf("nodes %s the peak of %s ECPU/s, %s, cost %s/month on demand%s%s",
		which, num(load.PeakECPUPerSecond()), o.dep.String(), usd(o.provOnDemand), o.reservedNote, o.configuredNote)

	var r Recommendation
	if o.sless.MonthlyUSD < o.provCost || (o.sless.MonthlyUSD == o.provCost && load.Pattern == PatternSpiky) {
		r.Kind = KindServerless
		lead := fmt.Sprintf("Serverless fits this %s load (%s)", load.Pattern, loadText)
		if load.Pattern == PatternSteady {
			lead = fmt.Sprintf("Although this load is steady (%s), serverless costs less", loadText)
		}
		r.Summary = fmt.Sprintf("%s: %s; %s (%s).", lead, sText, pText, ratio("the nodes", o.provCost, o.sless.MonthlyUSD))
		if in.Mode == blueprint.ModeProvisioned && !math.IsNaN(o.current) {
			r.MonthlySavingsUSD = cents(math.Max(0, o.current-o.sless.MonthlyUSD))
		}
		return r
	}
	r.Kind = KindProvisioned
	lead := fmt.Sprintf("Provisioned nodes fit this %s load (%s)", load.Pattern, loadText)
	if load.Pattern == PatternSpiky {
		lead = fmt.Sprintf("Although this load is spiky (%s), nodes sized for its peak cost less than serverless", loadText)
	}
	tail := ""
	if load.Pattern == PatternSteady {
		tail = " Reserve the nodes for the steady load (see reserved_nodes)."
	}
	r.Summary = fmt.Sprintf("%s: %s; %s (%s).%s", lead, pText, sText, ratio("serverless", o.sless.MonthlyUSD, o.provCost), tail)
	if in.Mode == blueprint.ModeServerless {
		r.MonthlySavingsUSD = cents(math.Max(0, o.current-o.provCost))
	}
	return r
}

func serverlessMinimum(src PriceSource, in RecommendInput) float64 {
	p, err := src.ServerlessPrice(in.Region, in.Engine)
	if err != nil {
		return 0
	}
	return p.MinimumDataGB
}

func recommendRightSize(src PriceSource, in RecommendInput, load ExpectedLoad) (Recommendation, bool) {
	cur, ok := blueprint.LookupNodeType(in.NodeType)
	if !ok || load.DataGB <= 0 {
		return Recommendation{}, false
	}
	shards := float64(in.shards())
	perShard := load.DataGB / shards
	usable := cur.MemoryGiB * UsableMemoryFraction
	if perShard/usable >= RightSizeThreshold {
		return Recommendation{}, false
	}
	curPrice, err := src.NodePrice(in.Region, in.Engine, in.NodeType)
	if err != nil {
		return Recommendation{}, false
	}
	peakPerShard := load.PeakECPUPerSecond() / shards
	for _, n := range blueprint.NodeTypesInFamily(cur.Family) {
		if n.MemoryGiB >= cur.MemoryGiB {
			break
		}
		if perShard > nodeDataCapacity(n) || peakPerShard > nodeCapacity(n) {
			continue
		}
		p, err := src.NodePrice(in.Region, in.Engine, n.Name)
		if err != nil || p.USD >= curPrice.USD {
			continue
		}
		nodes := float64(in.nodes())
		now, then := curPrice.USD*HoursPerMonth*nodes, p.USD*HoursPerMonth*nodes
		savings := cents(now - then)
		summary := fmt.Sprintf("The expected %s of data fills %s of the usable memory of each %s shard (%s of %s GiB after reserved memory). "+
			"%s (%s GiB usable) holds it with headroom and the peak of %s ECPU/s: %d nodes cost %s/month instead of %s/month (saves %s/month).",
			gbText(load.DataGB), pct(perShard/usable), in.NodeType, num(roundTo(usable, 2)), num(cur.MemoryGiB),
			n.Name, num(roundTo(n.MemoryGiB*UsableMemoryFraction, 2)), num(load.PeakECPUPerSecond()), in.nodes(), usd(then), usd(now), usd(savings))
		return Recommendation{Kind: KindRightSize, Summary: summary, MonthlySavingsUSD: savings}, true
	}
	return Recommendation{}, false
}

// usd formats a dollar amount with thousands separators: $7,769.84.
func usd(x float64) string {
	x = cents(x)
	neg := x < 0
	if neg {
		x = -x
	}
	whole := int64(x)
	frac := int64(math.Round((x - float64(whole)) * 100))
	if frac == 100 {
		whole, frac = whole+1, 0
	}
	s := fmt.Sprintf("%d", whole)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := fmt.Sprintf("$%s.%02d", b.String(), frac)
	if neg {
		out = "-" + out
	}
	return out
}

// pct formats a fraction as a whole percentage: "55 %".
func pct(f float64) string {
	p := f * 100
	if p > 0 && p < 1 {
		return fmt.Sprintf("%.1f %%", p)
	}
	return fmt.Sprintf("%.0f %%", p)
}

// num formats a number without trailing zeros.
func num(x float64) string {
	s := fmt.Sprintf("%.2f", x)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

func gbText(gb float64) string { return num(gb) + " GB" }

func years(n int) string {
	if n == 1 {
		return "1 year"
	}
	return fmt.Sprintf("%d years", n)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// ratio says how many times a is b: "serverless costs 1.47x as much".
func ratio(name string, a, b float64) string {
	if b <= 0 {
		return name + " costs more"
	}
	return fmt.Sprintf("%s cost%s %.2fx as much", name, map[bool]string{true: "", false: "s"}[strings.HasSuffix(name, "nodes")], a/b)
}
