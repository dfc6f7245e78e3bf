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
		est, err = EstimateServerless(src, ServerlessSpec{Region: in.Region, Engine: in.Engine, DataGB: dataGB, ECPUPerSecond: ecpu,
			MaxDataGB: in.MaxDataGB, MaxECPUPerSecond: in.MaxECPUPerSecond, SnapshotRetentionDays: in.SnapshotRetentionDays})
	} else {
		est, err = EstimateProvisioned(src, ProvisionedSpec{Region: in.Region, Engine: in.Engine, NodeType: in.NodeType,
			Nodes: in.Shards * (1 + in.ReplicasPerShard), SnapshotRetentionDays: in.SnapshotRetentionDays, DataGB: dataGB})
	}
	if err != nil {
		return Estimate{}, nil, err
	}
	return est, Recommend(src, in), nil
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
