package cost

import "github.com/cachestack/terraform-provider-elasticache/internal/blueprint"

// Quote prices a deployment and makes its recommendations: the one place that tells a
// node-based deployment from a serverless one for pricing. elasticache_stack (through its
// kind's driver) and elasticache_cost_estimate both describe what they price as a
// RecommendInput and call it.
func Quote(src PriceSource, in RecommendInput) (Estimate, []Recommendation, error) {
	var dataGB, ecpu float64
	if in.Load != nil {
		dataGB, ecpu = in.Load.DataGB, in.Load.AverageECPUPerSecond()
	}
	var est Estimate
	var err error
	if in.Mode == blueprint.ModeServerless {
		est, err = quoteServerless(src, in, dataGB, ecpu)
	} else {
		est, err = quoteProvisioned(src, in, dataGB)
	}
	if err != nil {
		return Estimate{}, nil, err
	}
	if in.Load != nil && in.ReplicaRegions > 0 {
		addCrossRegion(&est, float64(in.ReplicaRegions)*CrossRegionReplicationUSD(*in.Load))
	}
	return est, Recommend(src, in), nil
}

// InterRegionTransferUSDPerGB is the list price of data transfer out to another AWS Region from
// most US and EU regions: "Data Transfer OUT from Amazon EC2 to another AWS Region", $0.02 per
// GB (https://aws.amazon.com/ec2/pricing/on-demand/, Data Transfer). ElastiCache's pricing page
// (https://aws.amazon.com/elasticache/pricing/, Global Datastore) bills Global Datastore
// cross-Region traffic at these standard inter-Region rates, to the source region. Other region
// pairs cost more (up to about $0.09 per GB from some regions), so this is an estimate.
const InterRegionTransferUSDPerGB = 0.02

// CrossRegionReplicationGBPerMonth is the data a primary sends to one secondary region a month:
// the writes (requests x write share x average size) over 730 hours.
func CrossRegionReplicationGBPerMonth(l ExpectedLoad) float64 {
	kb := l.AvgRequestKB
	if kb == 0 {
		kb = 1
	}
	return l.RequestsPerSecond * l.WriteFraction * kb / 1024 / 1024 * HoursPerMonth * 3600
}

// CrossRegionReplicationUSD is the monthly inter-Region transfer of replicating the load's
// writes to one secondary region, in cents (0 when the write share is not given).
func CrossRegionReplicationUSD(l ExpectedLoad) float64 {
	return cents(CrossRegionReplicationGBPerMonth(l) * InterRegionTransferUSDPerGB)
}

// addCrossRegion adds the replication transfer to the breakdown and to every monthly figure: it
// is paid whatever the node count, so the range moves with it.
func addCrossRegion(est *Estimate, usd float64) {
	if usd == 0 {
		return
	}
	est.Breakdown.CrossRegionReplication = usd
	est.MonthlyUSD = cents(est.MonthlyUSD + usd)
	est.HourlyUSD = roundTo(est.MonthlyUSD/HoursPerMonth, 4)
	est.MonthlyUSDMin = cents(est.MonthlyUSDMin + usd)
	if !est.MaxUnbounded {
		est.MonthlyUSDMax = cents(est.MonthlyUSDMax + usd)
	}
}

// quoteServerless prices the cache at the expected load, with its range: from the floor (no
// load: the engine's minimum data and the pre-scaling minimums) to the usage limits, unbounded
// unless both are set.
func quoteServerless(src PriceSource, in RecommendInput, dataGB, ecpu float64) (Estimate, error) {
	spec := ServerlessSpec{Region: in.Region, Engine: in.Engine, DataGB: dataGB, ECPUPerSecond: ecpu, MaxDataGB: in.MaxDataGB,
		MaxECPUPerSecond: in.MaxECPUPerSecond, MinDataGB: in.MinDataGB, MinECPUPerSecond: in.MinECPUPerSecond, SnapshotRetentionDays: in.SnapshotRetentionDays}
	est, err := EstimateServerless(src, spec)
	if err != nil {
		return est, err
	}
	floor := spec
	floor.DataGB, floor.ECPUPerSecond = 0, 0
	low, err := EstimateServerless(src, floor)
	if err != nil {
		return est, err
	}
	est.MonthlyUSDMin, est.MonthlyUSDMax, est.MaxUnbounded = low.MonthlyUSD, 0, true
	if in.MaxDataGB > 0 && in.MaxECPUPerSecond > 0 {
		ceiling := spec
		ceiling.DataGB, ceiling.ECPUPerSecond = in.MaxDataGB, in.MaxECPUPerSecond
		high, err := EstimateServerless(src, ceiling)
		if err != nil {
			return est, err
		}
		est.MonthlyUSDMax, est.MaxUnbounded = high.MonthlyUSD, false
	}
	return est, nil
}

// quoteProvisioned prices the configured node count, with the autoscaling range when there is
// one: the floor (minimum shards and replicas) and the ceiling (maximum).
func quoteProvisioned(src PriceSource, in RecommendInput, dataGB float64) (Estimate, error) {
	spec := ProvisionedSpec{Region: in.Region, Engine: in.Engine, NodeType: in.NodeType, Nodes: in.Shards * (1 + in.ReplicasPerShard),
		SnapshotRetentionDays: in.SnapshotRetentionDays, DataGB: dataGB}
	est, err := EstimateProvisioned(src, spec)
	if err != nil || !in.autoscaled() {
		return est, err
	}
	for _, bound := range []struct {
		nodes int
		to    *float64
	}{{in.floorNodes(), &est.MonthlyUSDMin}, {in.ceilingNodes(), &est.MonthlyUSDMax}} {
		spec.Nodes = bound.nodes
		e, err := EstimateProvisioned(src, spec)
		if err != nil {
			return est, err
		}
		*bound.to = e.MonthlyUSD
	}
	return est, nil
}

// Inputs of a price lookup that an InputError can name.
const (
	InputRegion   = "region"
	InputNodeType = "node_type"
	InputEngine   = "engine"
)

// InputError is a price lookup refused because of one input (InputRegion, InputNodeType or
// InputEngine), so a caller can point at its attribute without reading the message.
type InputError struct {
	Input string
	msg   string
}

func (e *InputError) Error() string { return e.msg }

func inputError(input, msg string) error { return &InputError{Input: input, msg: msg} }
