// Package costattr holds the Terraform shape of cost figures, shared by the
// elasticache_stack resource and the elasticache_cost_estimate data source: the `cost` object
// and the `recommendations` list, and their conversion from internal/cost.
package costattr

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/cachestack/terraform-provider-elasticache/internal/cost"
)

var (
	breakdownAttrTypes = map[string]attr.Type{
		"nodes": types.Float64Type, "storage": types.Float64Type, "ecpu": types.Float64Type, "backups": types.Float64Type,
		"cross_region_replication": types.Float64Type,
	}
	costAttrTypes = map[string]attr.Type{
		"hourly_usd": types.Float64Type, "monthly_usd": types.Float64Type,
		"monthly_usd_min": types.Float64Type, "monthly_usd_max": types.Float64Type,
		"breakdown": types.ObjectType{AttrTypes: breakdownAttrTypes},
		"source":    types.StringType, "as_of": types.StringType,
	}
	recommendationAttrTypes = map[string]attr.Type{
		"kind": types.StringType, "summary": types.StringType, "monthly_savings_usd": types.Float64Type,
	}
)

// The descriptions of the cost object's figures, the same for the resource and the data
// source: both fill the object with CostObject from the same estimate.
var (
	// USDDescriptions describes hourly_usd, monthly_usd and the monthly range.
	USDDescriptions = map[string]string{
		"hourly_usd":      "USD per hour (`monthly_usd / 730`, to 1/100 cent).",
		"monthly_usd":     "USD per month of 730 hours, in cents: the sum of `breakdown`.",
		"monthly_usd_min": "USD per month at the least the stack can cost without a configuration change: the autoscaling floor (minimum shards and replicas), or a serverless cache's minimum data and pre-scaling minimums with no load. Equals `monthly_usd` when nothing scales.",
		"monthly_usd_max": "USD per month at the most: the autoscaling ceiling, or a serverless cache at both usage limits; null when a serverless cache has no limit on data or ECPUs.",
	}
	// BreakdownDescriptions describes the dimensions of breakdown.
	BreakdownDescriptions = map[string]string{
		"nodes":   "Node-hours (provisioned), on demand.",
		"storage": "Data stored, GB-hours (serverless), at least the engine's minimum.",
		"ecpu":    "ElastiCache Processing Units (serverless).",
		"backups": "Snapshot storage beyond the free allowance.",
		"cross_region_replication": fmt.Sprintf("Inter-Region data transfer of a Global Datastore primary (`global = { role = \"primary\" }`) "+
			"replicating its writes to one secondary region: `requests_per_second x write_fraction x avg_request_kb / 1024 / 1024 x 730 h x 3600 s` "+
			"GB a month at $%.2f per GB, AWS's list price for data transfer out to another region from most US and EU regions "+
			"(other region pairs cost more). Per secondary region: the primary does not know its secondaries at plan. "+
			"0 without `expected_load.write_fraction` and on every other stack.", cost.InterRegionTransferUSDPerGB),
	}
)

// CostAttrTypes is the object type of a `cost` attribute: hourly_usd, monthly_usd,
// monthly_usd_min, monthly_usd_max, breakdown = { nodes, storage, ecpu, backups }, source, as_of.
func CostAttrTypes() map[string]attr.Type { return costAttrTypes }

// RecommendationAttrTypes is the object type of one element of `recommendations`: kind,
// summary, monthly_savings_usd.
func RecommendationAttrTypes() map[string]attr.Type { return recommendationAttrTypes }

// RecommendationType is the element type of `recommendations`.
func RecommendationType() types.ObjectType {
	return types.ObjectType{AttrTypes: recommendationAttrTypes}
}

// CostObject converts an estimate to the `cost` object value.
func CostObject(e cost.Estimate) (basetypes.ObjectValue, diag.Diagnostics) {
	breakdown, diags := types.ObjectValue(breakdownAttrTypes, map[string]attr.Value{
		"nodes": types.Float64Value(e.Breakdown.Nodes), "storage": types.Float64Value(e.Breakdown.Storage),
		"ecpu": types.Float64Value(e.Breakdown.ECPU), "backups": types.Float64Value(e.Breakdown.Backups),
		"cross_region_replication": types.Float64Value(e.Breakdown.CrossRegionReplication),
	})
	if diags.HasError() {
		return types.ObjectNull(costAttrTypes), diags
	}
	upper := types.Float64Value(e.MonthlyUSDMax)
	if e.MaxUnbounded {
		upper = types.Float64Null()
	}
	return types.ObjectValue(costAttrTypes, map[string]attr.Value{
		"hourly_usd": types.Float64Value(e.HourlyUSD), "monthly_usd": types.Float64Value(e.MonthlyUSD),
		"monthly_usd_min": types.Float64Value(e.MonthlyUSDMin), "monthly_usd_max": upper,
		"breakdown": breakdown, "source": types.StringValue(e.Source), "as_of": types.StringValue(e.AsOf),
	})
}

// RecommendationsList converts recommendations to the `recommendations` list value (empty, not
// null, when there are none).
func RecommendationsList(recs []cost.Recommendation) (basetypes.ListValue, diag.Diagnostics) {
	elemType := RecommendationType()
	values := make([]attr.Value, 0, len(recs))
	for _, r := range recs {
		v, diags := types.ObjectValue(recommendationAttrTypes, map[string]attr.Value{
			"kind": types.StringValue(r.Kind), "summary": types.StringValue(r.Summary), "monthly_savings_usd": types.Float64Value(r.MonthlySavingsUSD),
		})
		if diags.HasError() {
			return types.ListNull(elemType), diags
		}
		values = append(values, v)
	}
	return types.ListValue(elemType, values)
}

// LoadModel is the `expected_load` block of both elasticache_stack and
// elasticache_cost_estimate.
type LoadModel struct {
	DataGB            types.Float64 `tfsdk:"data_gb"`
	RequestsPerSecond types.Float64 `tfsdk:"requests_per_second"`
	AvgRequestKB      types.Float64 `tfsdk:"avg_request_kb"`
	Pattern           types.String  `tfsdk:"pattern"`
	PeakToAverage     types.Float64 `tfsdk:"peak_to_average"`
	WriteFraction     types.Float64 `tfsdk:"write_fraction"`
}

// WriteFractionDescription describes expected_load.write_fraction in both schemas.
const WriteFractionDescription = "Share of requests that write, between 0 and 1. It prices the cross-region replication of a " +
	"Global Datastore primary (`cost.breakdown.cross_region_replication`); default null: not estimated."

// Unknown reports whether any value of the block is not known yet.
func (m LoadModel) Unknown() bool {
	return m.DataGB.IsUnknown() || m.RequestsPerSecond.IsUnknown() || m.AvgRequestKB.IsUnknown() || m.Pattern.IsUnknown() || m.PeakToAverage.IsUnknown() || m.WriteFraction.IsUnknown()
}

// ExpectedLoad is the block as cost.NormalizeLoad returns it: defaults applied (a value not
// set is zero, which means the default) and checked.
func (m LoadModel) ExpectedLoad() (cost.ExpectedLoad, error) {
	return cost.NormalizeLoad(cost.ExpectedLoad{
		DataGB: m.DataGB.ValueFloat64(), RequestsPerSecond: m.RequestsPerSecond.ValueFloat64(),
		AvgRequestKB: m.AvgRequestKB.ValueFloat64(), Pattern: m.Pattern.ValueString(), PeakToAverage: m.PeakToAverage.ValueFloat64(),
		WriteFraction: m.WriteFraction.ValueFloat64(),
	})
}
