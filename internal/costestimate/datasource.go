// Package costestimate implements the elasticache_cost_estimate data source: the cost of an
// ElastiCache deployment and recommendations to pay less, without creating anything. It answers
// the same questions as the cost attributes of elasticache_stack, for capacity planning and for
// modules, from internal/cost.
package costestimate

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
	"github.com/cachestack/terraform-provider-elasticache/internal/cost"
	"github.com/cachestack/terraform-provider-elasticache/internal/costattr"
	"github.com/cachestack/terraform-provider-elasticache/internal/tfvalidate"
)

var (
	_ datasource.DataSource                   = (*DataSource)(nil)
	_ datasource.DataSourceWithConfigure      = (*DataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*DataSource)(nil)
)

// Defaults of the optional inputs.
const (
	defaultMode      = blueprint.ModeProvisioned
	defaultEngine    = blueprint.EngineValkey
	defaultShards    = 1
	defaultReplicas  = 1
	defaultRetention = 0
	// fallbackRegion is used when neither the data source nor a configured provider names one.
	fallbackRegion = "us-east-1"
)

var modes = []string{blueprint.ModeProvisioned, blueprint.ModeServerless}

// DataSource is elasticache_cost_estimate.
type DataSource struct {
	clients *awsops.Clients
}

// NewDataSource is the constructor the provider registers.
func NewDataSource() datasource.DataSource { return &DataSource{} }

func (d *DataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cost_estimate"
}

func (d *DataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	clients, err := awsops.FromProviderData(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected provider data", err.Error())
	}
	d.clients = clients
}

// loadModel is the expected_load block, the same in the resource and the data source.
type loadModel = costattr.LoadModel

// model is the data source's configuration and state.
type model struct {
	Region                types.String `tfsdk:"region"`
	Mode                  types.String `tfsdk:"mode"`
	Engine                types.String `tfsdk:"engine"`
	NodeType              types.String `tfsdk:"node_type"`
	Shards                types.Int64  `tfsdk:"shards"`
	ReplicasPerShard      types.Int64  `tfsdk:"replicas_per_shard"`
	SnapshotRetentionDays types.Int64  `tfsdk:"snapshot_retention_days"`
	ServerlessLimits      *limitsModel `tfsdk:"serverless_limits"`
	Autoscaling           *scaleModel  `tfsdk:"autoscaling"`
	ExpectedLoad          *loadModel   `tfsdk:"expected_load"`
	NodeCount             types.Int64  `tfsdk:"node_count"`
	Cost                  types.Object `tfsdk:"cost"`
	Recommendations       types.List   `tfsdk:"recommendations"`
}

// scaleModel is the autoscaling ceiling of a provisioned group.
type scaleModel struct {
	MaxShards           types.Int64 `tfsdk:"max_shards"`
	MaxReplicasPerShard types.Int64 `tfsdk:"max_replicas_per_shard"`
}

type limitsModel struct {
	MaxDataGB        types.Float64 `tfsdk:"max_data_gb"`
	MaxECPUPerSecond types.Int64   `tfsdk:"max_ecpu_per_second"`
	MinDataGB        types.Float64 `tfsdk:"min_data_gb"`
	MinECPUPerSecond types.Int64   `tfsdk:"min_ecpu_per_second"`
}

func quoted(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "`" + v + "`"
	}
	return strings.Join(q, ", ")
}

func (d *DataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) { //nolint:funlen // declarative schema definition
	catalog := cost.DefaultCatalog()
	resp.Schema = schema.Schema{
		MarkdownDescription: "Estimates the monthly cost of an ElastiCache deployment, provisioned or serverless, and recommends " +
			"how to pay less (reserved nodes, serverless vs provisioned for an expected load, smaller nodes), without creating anything. " +
			"It answers the same questions as the `cost` and `recommendations` attributes of `elasticache_stack`, for capacity " +
			"planning and for modules.\n\n" +
			"Prices come from the provider's built-in catalog (AWS list prices, dated; regions " + quoted(catalog.Regions()) + "), " +
			"or from the AWS Pricing API and `DescribeReservedCacheNodesOfferings` when the provider sets `live_pricing = true`; " +
			"any live price that cannot be read falls back to the catalog, and `cost.source` says which was used. " +
			"Months are 730 hours. Data transfer is not included.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "AWS region to price, e.g. `eu-west-1`. Defaults to the provider's region. The built-in catalog " +
					"covers " + quoted(catalog.Regions()) + "; with `live_pricing` other regions are priced from the Pricing API.",
			},
			"mode": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Deployment to price: " + quoted(modes) + ". Default `" + defaultMode + "`.",
				Validators:          []validator.String{stringvalidator.OneOf(modes...)},
			},
			"engine": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Cache engine: " + quoted(cost.Engines) + ". Default `" + defaultEngine + "`. Valkey nodes cost 20 % " +
					"less than Redis OSS nodes; serverless Valkey bills at least 100 MB of data, Redis OSS and Memcached at least 1 GB.",
				Validators: []validator.String{stringvalidator.OneOf(cost.Engines...)},
			},
			"node_type": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Node type for `mode = \"provisioned\"` (required there), `cache.<family>.<size>`, e.g. `cache.r7g.large`; " +
					"families: " + quoted(blueprint.NodeTypeFamilies()) + ". `r6gd` (data tiering) runs Valkey and Redis OSS only.",
				Validators: []validator.String{nodeTypeValidator()},
			},
			"shards": schema.Int64Attribute{
				Optional: true, Computed: true,
				MarkdownDescription: fmt.Sprintf("Shards (node groups), 1 to 500. Default %d. For Memcached, the number of nodes.", defaultShards),
				Validators:          []validator.Int64{int64validator.Between(1, 500)},
			},
			"replicas_per_shard": schema.Int64Attribute{
				Optional: true, Computed: true,
				MarkdownDescription: fmt.Sprintf("Replicas per shard, 0 to 5. Default %d (0 for Memcached, which has no replicas). "+
					"The node count is `shards x (1 + replicas_per_shard)`.", defaultReplicas),
				Validators: []validator.Int64{int64validator.Between(0, 5)},
			},
			"snapshot_retention_days": schema.Int64Attribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Days of daily automatic snapshots kept, 0 to 35. Default 0. Snapshots are priced per GB-month " +
					"at the size of `expected_load.data_gb` (without it, provisioned backups are not priced); one snapshot of a " +
					"node-based cluster is free.",
				Validators: []validator.Int64{int64validator.Between(0, cost.MaxSnapshotRetentionDays)},
			},
			"serverless_limits": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "Usage limits of a serverless cache (`mode = \"serverless\"`). The bill never exceeds them: " +
					"data beyond `max_data_gb` is evicted and ECPUs beyond `max_ecpu_per_second` are throttled; and never goes below the pre-scaling minimums.",
				Attributes: map[string]schema.Attribute{
					"max_data_gb":         dataGBAttribute("Maximum data stored"),
					"max_ecpu_per_second": ecpuAttribute("Maximum ECPUs per second"),
					"min_data_gb":         dataGBAttribute("Pre-scaling minimum of data storage, billed as a floor"),
					"min_ecpu_per_second": ecpuAttribute("Pre-scaling minimum of ECPUs per second, billed as a floor"),
				},
			},
			"autoscaling": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "The ceiling of a provisioned group that auto scales (as `elasticache_stack`'s `provisioned.autoscaling`): " +
					"`shards` and `replicas_per_shard` are the floor, `cost.monthly_usd_max` prices the ceiling, and `reserved_nodes` reserves the floor.",
				Attributes: map[string]schema.Attribute{
					"max_shards": schema.Int64Attribute{Optional: true, MarkdownDescription: "Most shards, at least `shards`, at most 500.",
						Validators: []validator.Int64{int64validator.Between(1, 500)}},
					"max_replicas_per_shard": schema.Int64Attribute{Optional: true, MarkdownDescription: "Most replicas per shard, at least `replicas_per_shard`, at most 5.",
						Validators: []validator.Int64{int64validator.Between(0, 5)}},
				},
			},
			"expected_load": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "What the cache is expected to carry. It sizes serverless data and ECPUs and snapshots, and " +
					"enables the `serverless` / `provisioned` and `right_size` recommendations. ECPUs are about 1 per KB " +
					"transferred, at least 1 per request. Provisioned alternatives are sized for the peak " +
					"(`requests_per_second x peak_to_average`); steady loads compare them with 1-year reserved pricing, " +
					"spiky loads with on-demand pricing.",
				Attributes: map[string]schema.Attribute{
					"data_gb": schema.Float64Attribute{
						Required:            true,
						MarkdownDescription: "Data set size in GB.",
						Validators:          []validator.Float64{float64validator.AtLeast(0)},
					},
					"requests_per_second": schema.Float64Attribute{
						Required:            true,
						MarkdownDescription: "Average requests (reads and writes) per second.",
						Validators:          []validator.Float64{float64validator.AtLeast(0)},
					},
					"avg_request_kb": schema.Float64Attribute{
						Optional:            true,
						MarkdownDescription: "Average data transferred per request in KB. Default 1.",
						Validators:          []validator.Float64{float64validator.AtLeast(0)},
					},
					"pattern": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "Shape of the load over time: " + quoted(cost.Patterns) + ". Default `steady`. " +
							"Steady loads suit nodes with reservations, spiky loads suit serverless; the cheaper option wins.",
						Validators: []validator.String{stringvalidator.OneOf(cost.Patterns...)},
					},
					"peak_to_average": schema.Float64Attribute{
						Optional: true,
						MarkdownDescription: fmt.Sprintf("Peak request rate divided by the average, at least 1. Default 1 for steady "+
							"loads, %d for spiky ones.", cost.DefaultSpikyPeakToAverage),
						Validators: []validator.Float64{float64validator.AtLeast(1)},
					},
					"write_fraction": schema.Float64Attribute{
						Optional: true,
						MarkdownDescription: costattr.WriteFractionDescription + " This data source prices no Global Datastore, " +
							"so it only checks the value here.",
						Validators: []validator.Float64{float64validator.Between(0, 1)},
					},
				},
			},
			"node_count": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Nodes priced: `shards x (1 + replicas_per_shard)` for provisioned, 0 for serverless.",
			},
			"cost": costSchema(),
			"recommendations": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "Ways to pay less, in this order: `reserved_nodes` (provisioned: the best term and payment " +
					"option with its upfront payment, effective monthly cost, savings and break-even month), `serverless` or " +
					"`provisioned` (with `expected_load`: the cheaper deployment for the load, with both costs), `right_size` " +
					"(provisioned with `expected_load`, when the data fills less than 25 % of the nodes' usable memory: the " +
					"smallest node of the same family that holds it with headroom).",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"kind":    schema.StringAttribute{Computed: true, MarkdownDescription: "`reserved_nodes`, `serverless`, `provisioned` or `right_size`."},
						"summary": schema.StringAttribute{Computed: true, MarkdownDescription: "What to do and what it costs, in one paragraph."},
						"monthly_savings_usd": schema.Float64Attribute{
							Computed: true,
							MarkdownDescription: "USD a month saved against the deployment as described (0 when the recommendation " +
								"confirms the chosen mode).",
						},
					},
				},
			},
		},
	}
}

// nodeTypeValidator accepts the node types the provider knows and names the valid ones.
func nodeTypeValidator() validator.String {
	return tfvalidate.String("value must be a known ElastiCache node type, cache.<family>.<size>", func(_ path.Path, name string) (string, string) {
		if _, ok := blueprint.LookupNodeType(name); ok {
			return "", ""
		}
		_, err := cost.DefaultCatalog().NodePrice(fallbackRegion, blueprint.EngineRedis, name)
		msg := fmt.Sprintf("unknown node type %q", name)
		if err != nil {
			msg = err.Error()
		}
		return "Unknown node type", "node_type: " + msg + "."
	})
}

func (d *DataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	// A block unknown as a whole (a module's `cond ? {...} : null` during validate) cannot be
	// judged yet; Read judges it once known.
	for _, block := range []string{"serverless_limits", "expected_load"} {
		var v types.Object
		if diags := req.Config.GetAttribute(ctx, path.Root(block), &v); !diags.HasError() && v.IsUnknown() {
			return
		}
	}
	var m model
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.Mode.IsUnknown() || m.Engine.IsUnknown() || m.NodeType.IsUnknown() {
		return
	}
	mode := stringOr(m.Mode, defaultMode)
	engine := stringOr(m.Engine, defaultEngine)
	if mode == blueprint.ModeProvisioned {
		if m.NodeType.IsNull() {
			resp.Diagnostics.AddAttributeError(path.Root("node_type"), "Missing node_type",
				fmt.Sprintf("node_type is required when mode is %q (the default): set a node type such as \"cache.r7g.large\" (families: %s), "+
					"or set mode = \"serverless\".", blueprint.ModeProvisioned, strings.Join(blueprint.NodeTypeFamilies(), ", ")))
		} else if engine == blueprint.EngineMemcached && strings.HasPrefix(m.NodeType.ValueString(), "cache.r6gd.") {
			resp.Diagnostics.AddAttributeError(path.Root("node_type"), "Node type does not run Memcached",
				fmt.Sprintf("node_type %q: the r6gd family (data tiering) runs valkey and redis only; choose another family for memcached, e.g. cache.r7g.xlarge.", m.NodeType.ValueString()))
		}
		if engine == blueprint.EngineMemcached && !m.ReplicasPerShard.IsNull() && !m.ReplicasPerShard.IsUnknown() && m.ReplicasPerShard.ValueInt64() > 0 {
			resp.Diagnostics.AddAttributeError(path.Root("replicas_per_shard"), "Memcached has no replicas",
				"replicas_per_shard must be 0 for engine = \"memcached\": Memcached nodes are independent; set shards to the number of nodes.")
		}
		if m.ServerlessLimits != nil {
			resp.Diagnostics.AddAttributeWarning(path.Root("serverless_limits"), "serverless_limits ignored",
				fmt.Sprintf("serverless_limits only applies to mode = %q; it is ignored for %q.", blueprint.ModeServerless, mode))
		}
	} else if !m.NodeType.IsNull() {
		resp.Diagnostics.AddAttributeWarning(path.Root("node_type"), "node_type ignored",
			fmt.Sprintf("node_type only applies to mode = %q; a serverless cache has no nodes.", blueprint.ModeProvisioned))
	}
}

func stringOr(v types.String, def string) string {
	if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
		return def
	}
	return v.ValueString()
}

func int64Or(v types.Int64, def int64) int64 {
	if v.IsNull() || v.IsUnknown() {
		return def
	}
	return v.ValueInt64()
}

func float64Or(v types.Float64, def float64) float64 {
	if v.IsNull() || v.IsUnknown() {
		return def
	}
	return v.ValueFloat64()
}

func (d *DataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m model
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r, err := d.requestOf(m)
	var scaling *autoscalingError
	switch {
	case errors.As(err, &scaling):
		resp.Diagnostics.AddAttributeError(path.Root("autoscaling"), "Autoscaling ceiling below the floor", err.Error())
		return
	case err != nil:
		resp.Diagnostics.AddAttributeError(path.Root("expected_load"), "Invalid expected_load", "expected_load: "+err.Error()+".")
		return
	}
	in := r.quote
	est, recs, err := cost.Quote(d.clients.PriceSource(ctx), in)
	if err != nil {
		addPriceError(&resp.Diagnostics, err)
		return
	}
	tflog.Debug(ctx, "Estimated ElastiCache cost", map[string]any{"region": in.Region, "mode": in.Mode, "engine": in.Engine, "monthly_usd": est.MonthlyUSD, "source": est.Source, "recommendations": len(recs)})

	nodes := 0
	if in.Mode != blueprint.ModeServerless {
		nodes = r.shards * (1 + r.replicas)
	}
	m.Region = types.StringValue(in.Region)
	m.Mode = types.StringValue(in.Mode)
	m.Engine = types.StringValue(in.Engine)
	m.Shards = types.Int64Value(int64(r.shards))
	m.ReplicasPerShard = types.Int64Value(int64(r.replicas))
	m.SnapshotRetentionDays = types.Int64Value(int64(in.SnapshotRetentionDays))
	m.NodeCount = types.Int64Value(int64(nodes))

	costObj, diags := costattr.CostObject(est)
	resp.Diagnostics.Append(diags...)
	recList, diags := costattr.RecommendationsList(recs)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.Cost, m.Recommendations = costObj, recList
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// request is the configuration with its defaults: what cost.Quote prices, and the topology
// the data source reports back.
type request struct {
	quote            cost.RecommendInput
	shards, replicas int
}

// requestOf applies the defaults to a configuration. The error is an invalid expected_load.
func (d *DataSource) requestOf(m model) (request, error) {
	region := stringOr(m.Region, "")
	if region == "" && d.clients != nil {
		region = d.clients.Region
	}
	if region == "" {
		region = fallbackRegion
	}
	in := cost.RecommendInput{Region: region, Mode: stringOr(m.Mode, defaultMode), Engine: stringOr(m.Engine, defaultEngine),
		SnapshotRetentionDays: int(int64Or(m.SnapshotRetentionDays, defaultRetention))}
	defReplicas := int64(defaultReplicas)
	if in.Engine == blueprint.EngineMemcached {
		defReplicas = 0
	}
	r := request{shards: int(int64Or(m.Shards, defaultShards)), replicas: int(int64Or(m.ReplicasPerShard, defReplicas))}
	if in.Mode == blueprint.ModeServerless {
		if m.ServerlessLimits != nil {
			in.MaxDataGB = float64Or(m.ServerlessLimits.MaxDataGB, 0)
			in.MaxECPUPerSecond = float64(int64Or(m.ServerlessLimits.MaxECPUPerSecond, 0))
			in.MinDataGB = float64Or(m.ServerlessLimits.MinDataGB, 0)
			in.MinECPUPerSecond = float64(int64Or(m.ServerlessLimits.MinECPUPerSecond, 0))
		}
	} else {
		in.NodeType, in.Shards, in.ReplicasPerShard = m.NodeType.ValueString(), r.shards, r.replicas
		if a := m.Autoscaling; a != nil {
			// The configured counts are the floor; a ceiling left out is the floor too.
			in.ShardsMin, in.ReplicasMin = r.shards, r.replicas
			in.ShardsMax, in.ReplicasMax = int(int64Or(a.MaxShards, int64(r.shards))), int(int64Or(a.MaxReplicasPerShard, int64(r.replicas)))
			if in.ShardsMax < r.shards || in.ReplicasMax < r.replicas {
				return r, &autoscalingError{shards: r.shards, replicas: r.replicas}
			}
		}
	}
	r.quote = in
	if m.ExpectedLoad == nil {
		return r, nil
	}
	l, err := m.ExpectedLoad.ExpectedLoad()
	r.quote.Load = &l
	return r, err
}

// addPriceError reports a price lookup that failed, at the attribute it names.
func addPriceError(diags *diag.Diagnostics, err error) {
	var inputErr *cost.InputError
	if !errors.As(err, &inputErr) {
		diags.AddError("Cannot estimate the cost", err.Error())
		return
	}
	diags.AddAttributeError(path.Root(inputErr.Input), "Cannot estimate the cost", err.Error()+".")
}

// dataGBAttribute is a serverless data storage limit or minimum, in GB (AWS: 1 to 5,000).
func dataGBAttribute(what string) schema.Float64Attribute {
	return schema.Float64Attribute{Optional: true, MarkdownDescription: what + ", in GB (1 to 5,000).",
		Validators: []validator.Float64{float64validator.Between(1, 5000)}}
}

// ecpuAttribute is a serverless ECPU limit or minimum (AWS: 1,000 to 15,000,000 a second).
func ecpuAttribute(what string) schema.Int64Attribute {
	return schema.Int64Attribute{Optional: true, MarkdownDescription: what + " (1,000 to 15,000,000).",
		Validators: []validator.Int64{int64validator.Between(1000, 15_000_000)}}
}

// autoscalingError is an autoscaling ceiling below the configured counts (the floor).
type autoscalingError struct{ shards, replicas int }

func (e *autoscalingError) Error() string {
	return fmt.Sprintf("autoscaling.max_shards and max_replicas_per_shard must be at least shards (%d) and replicas_per_shard (%d), the floor.", e.shards, e.replicas)
}

// costSchema is the cost object; its figures are described in costattr, as the resource's.
func costSchema() schema.SingleNestedAttribute {
	attrs := computedFloats(costattr.USDDescriptions)
	attrs["breakdown"] = schema.SingleNestedAttribute{
		Computed: true, MarkdownDescription: "Monthly USD by dimension.", Attributes: computedFloats(costattr.BreakdownDescriptions),
	}
	attrs["source"] = schema.StringAttribute{
		Computed: true,
		MarkdownDescription: "Where the prices came from: `catalog`, `pricing-api`, or `catalog (pricing-api failed: <error code>)` " +
			"when live prices were asked for and could not be read; several joined by ` + ` when they differ by dimension " +
			"(backup storage always comes from the catalog).",
	}
	attrs["as_of"] = schema.StringAttribute{Computed: true, MarkdownDescription: "Date (`YYYY-MM-DD`) of the oldest price used."}
	return schema.SingleNestedAttribute{Computed: true, MarkdownDescription: "The estimated cost.", Attributes: attrs}
}

// computedFloats is one computed number attribute per name, described as given.
func computedFloats(descriptions map[string]string) map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, len(descriptions))
	for name, d := range descriptions {
		attrs[name] = schema.Float64Attribute{Computed: true, MarkdownDescription: d}
	}
	return attrs
}
