package stack

import (
	"context"
	"fmt"
	"math"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
	"github.com/cachestack/terraform-provider-elasticache/internal/cost"
	"github.com/cachestack/terraform-provider-elasticache/internal/costattr"
	"github.com/cachestack/terraform-provider-elasticache/internal/driver"
)

// costChangeWarnShare is how much the monthly estimate must move before the plan warns.
const costChangeWarnShare = 0.10

// fallbackPricingRegion prices stacks whose provider has no region (unconfigured provider).
const fallbackPricingRegion = "us-east-1"

func expectedLoadSchema() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional: true,
		MarkdownDescription: "What the cache is expected to carry. It prices serverless data and ECPUs and backups, and enables the " +
			"`serverless` / `provisioned` and `right_size` recommendations (ECPUs are about 1 per KB transferred, at least 1 per request; " +
			"spiky loads suit serverless, steady loads nodes with reservations).",
		Attributes: map[string]schema.Attribute{
			"data_gb": schema.Float64Attribute{Required: true, MarkdownDescription: "Data set size in GB.",
				Validators: []validator.Float64{float64validator.AtLeast(0)}},
			"requests_per_second": schema.Float64Attribute{Required: true, MarkdownDescription: "Average requests (reads and writes) per second.",
				Validators: []validator.Float64{float64validator.AtLeast(0)}},
			"avg_request_kb": schema.Float64Attribute{Optional: true, MarkdownDescription: "Average data per request in KB; default 1.",
				Validators: []validator.Float64{float64validator.AtLeast(0)}},
			"pattern": schema.StringAttribute{Optional: true, MarkdownDescription: "`steady` (default) or `spiky`.",
				Validators: []validator.String{stringvalidator.OneOf(cost.Patterns...)}},
			"peak_to_average": schema.Float64Attribute{Optional: true, MarkdownDescription: "Peak request rate over the average, at least 1.",
				Validators: []validator.Float64{float64validator.AtLeast(1)}},
			"write_fraction": schema.Float64Attribute{Optional: true, MarkdownDescription: costattr.WriteFractionDescription,
				Validators: []validator.Float64{float64validator.Between(0, 1)}},
		},
	}
}

func costSchema() schema.SingleNestedAttribute {
	attrs := computedFloats(costattr.USDDescriptions)
	attrs["breakdown"] = schema.SingleNestedAttribute{
		Computed: true, MarkdownDescription: "Monthly USD by dimension.", Attributes: computedFloats(costattr.BreakdownDescriptions),
	}
	attrs["source"] = schema.StringAttribute{Computed: true, MarkdownDescription: "`pricing-api` or `catalog` (with the reason when the API failed)."}
	attrs["as_of"] = schema.StringAttribute{Computed: true, MarkdownDescription: "Date of the prices."}
	return schema.SingleNestedAttribute{
		Computed: true,
		MarkdownDescription: "Estimated cost of the stack, known at plan time so the plan diff shows it. `source` says whether the " +
			"prices came from the Pricing API (provider `live_pricing = true`) or the built-in catalog, `as_of` their date.",
		Attributes: attrs,
	}
}

// computedFloats is one computed number attribute per name, described as given.
func computedFloats(descriptions map[string]string) map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, len(descriptions))
	for name, d := range descriptions {
		attrs[name] = schema.Float64Attribute{Computed: true, MarkdownDescription: d}
	}
	return attrs
}

func recommendationsSchema() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		Computed: true,
		MarkdownDescription: "Cost recommendations known at plan time: `reserved_nodes` (best reservation term and payment), " +
			"`serverless` / `provisioned` (from `expected_load`), `right_size` (data uses a small share of the nodes' memory).",
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"kind":                schema.StringAttribute{Computed: true, MarkdownDescription: "Kind of recommendation."},
			"summary":             schema.StringAttribute{Computed: true, MarkdownDescription: "What to do and the figures behind it."},
			"monthly_savings_usd": schema.Float64Attribute{Computed: true, MarkdownDescription: "Monthly USD saved by following it."},
		}},
	}
}

// costInputs are the attributes the estimate depends on.
var costInputs = []blueprint.Attr{blueprint.AttrMode, blueprint.AttrEngine, blueprint.AttrProvisionedNodeType, blueprint.AttrProvisionedShards, blueprint.AttrProvisionedReplicasPerShard,
	blueprint.AttrProvisionedNumNodes, blueprint.AttrProvisionedAutoscaling, blueprint.AttrProvisionedSnapshotRetentionDays, blueprint.AttrServerlessMaxDataStorageGB, blueprint.AttrServerlessMaxECPUPerSecond,
	blueprint.AttrServerlessMinDataStorageGB, blueprint.AttrServerlessMinECPUPerSecond,
	blueprint.AttrServerlessSnapshotRetentionDays, blueprint.AttrExpectedLoad, blueprint.AttrGlobalRole}

// estimateCost prices a stack and its recommendations. It is pure over the price source (the
// catalog, or memoized live prices), so plan and apply agree.
func (r *StackResource) estimateCost(ctx context.Context, in blueprint.Input, load *costattr.LoadModel) (types.Object, types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	unknownCost := types.ObjectUnknown(costattr.CostAttrTypes())
	unknownRecs := types.ListUnknown(costattr.RecommendationType())
	for _, p := range costInputs {
		if !in.Known(p) {
			return unknownCost, unknownRecs, nil
		}
	}
	region := fallbackPricingRegion
	if r.clients != nil && r.clients.Region != "" {
		region = r.clients.Region
	}
	var expected *cost.ExpectedLoad
	if load != nil {
		l, err := load.ExpectedLoad()
		if err != nil {
			diags.AddAttributeError(attributePath(blueprint.AttrExpectedLoad), "Invalid expected load", err.Error())
			return unknownCost, unknownRecs, diags
		}
		expected = &l
	}
	src := r.clients.PriceSource(ctx)
	est, recommendations, err := driver.For(in.Shape()).Price(src, region, in, expected)
	if err != nil {
		// No price is no reason to stop a plan: say so and leave the figures empty.
		tflog.Warn(ctx, "no cost estimate", map[string]any{"error": err.Error()})
		diags.AddWarning("No cost estimate", fmt.Sprintf("The stack's cost could not be estimated: %v. The cost attribute stays empty.", err))
		return types.ObjectNull(costattr.CostAttrTypes()), types.ListNull(costattr.RecommendationType()), diags
	}
	obj, d := costattr.CostObject(est)
	diags.Append(d...)
	recs, d := costattr.RecommendationsList(recommendations)
	diags.Append(d...)
	return obj, recs, diags
}

// monthlyUSD reads cost.monthly_usd; ok is false when it is not known.
func monthlyUSD(c types.Object) (float64, bool) {
	if c.IsNull() || c.IsUnknown() {
		return 0, false
	}
	v, ok := c.Attributes()["monthly_usd"].(types.Float64)
	if !ok || v.IsNull() || v.IsUnknown() {
		return 0, false
	}
	return v.ValueFloat64(), true
}

// costChangeWarning tells the reviewer when the monthly estimate moves by more than
// costChangeWarnShare, e.g. "monthly cost 361.35 -> 722.70 USD (+100 %)".
func costChangeWarning(name string, before, after types.Object) (summary, detail string, warn bool) {
	old, okOld := monthlyUSD(before)
	now, okNew := monthlyUSD(after)
	if !okOld || !okNew || old == now {
		return "", "", false
	}
	var share float64
	if old > 0 {
		share = (now - old) / old
	}
	if old > 0 && math.Abs(share) <= costChangeWarnShare {
		return "", "", false
	}
	change := "new cost"
	if old > 0 {
		change = fmt.Sprintf("%+.0f %%", share*100)
	}
	return fmt.Sprintf("elasticache_stack %q: monthly cost %.2f -> %.2f USD (%s)", name, old, now, change),
		"Estimated from on-demand prices of the stack's nodes or serverless usage; see the cost and recommendations attributes in the plan.", true
}
