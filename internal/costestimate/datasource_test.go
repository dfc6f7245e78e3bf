package costestimate

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
)

// Unit tests drive the data source directly, without Terraform (the acceptance tests in
// datasource_acc_test.go go through Terraform).

var ctx = context.Background()

func dsSchema(t *testing.T) (datasource.SchemaResponse, tftypes.Object) {
	t.Helper()
	var sr datasource.SchemaResponse
	(&DataSource{}).Schema(ctx, datasource.SchemaRequest{}, &sr)
	if sr.Diagnostics.HasError() {
		t.Fatal(sr.Diagnostics)
	}
	if diags := sr.Schema.ValidateImplementation(ctx); diags.HasError() {
		t.Fatal(diags)
	}
	return sr, sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
}

func str(s string) tftypes.Value  { return tftypes.NewValue(tftypes.String, s) }
func num(f float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, big.NewFloat(f)) }

func obj(typ tftypes.Type, attrs map[string]tftypes.Value) tftypes.Value {
	o := typ.(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range o.AttributeTypes {
		if v, ok := attrs[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(o, vals)
}

func read(t *testing.T, d *DataSource, attrs map[string]tftypes.Value) (model, diag.Diagnostics) {
	t.Helper()
	sr, typ := dsSchema(t)
	req := datasource.ReadRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: obj(typ, attrs)}}
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nil)}}
	d.Read(ctx, req, &resp)
	var m model
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Get(ctx, &m)...)
	}
	return m, resp.Diagnostics
}

func validate(t *testing.T, attrs map[string]tftypes.Value) diag.Diagnostics {
	t.Helper()
	sr, typ := dsSchema(t)
	var resp datasource.ValidateConfigResponse
	(&DataSource{}).ValidateConfig(ctx, datasource.ValidateConfigRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: obj(typ, attrs)}}, &resp)
	return resp.Diagnostics
}

func monthly(t *testing.T, m model) float64 {
	t.Helper()
	v := m.Cost.Attributes()["monthly_usd"].(types.Float64)
	return v.ValueFloat64()
}

func TestMetadataAndConfigure(t *testing.T) {
	var mr datasource.MetadataResponse
	NewDataSource().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "elasticache"}, &mr)
	if mr.TypeName != "elasticache_cost_estimate" {
		t.Errorf("type name = %q", mr.TypeName)
	}
	d := &DataSource{}
	var resp datasource.ConfigureResponse
	d.Configure(ctx, datasource.ConfigureRequest{}, &resp)
	if resp.Diagnostics.HasError() || d.clients != nil {
		t.Error("nil provider data must leave the data source on the catalog")
	}
	d.Configure(ctx, datasource.ConfigureRequest{ProviderData: "nope"}, &resp)
	if !resp.Diagnostics.HasError() {
		t.Error("wrong provider data type: no error")
	}
	c := &awsops.Clients{Region: "eu-central-1"}
	resp = datasource.ConfigureResponse{}
	d.Configure(ctx, datasource.ConfigureRequest{ProviderData: c}, &resp)
	if d.clients != c {
		t.Error("clients not kept")
	}
}

// TestReadWithoutProvider: nil ProviderData (an unconfigured provider) prices from the catalog
// in us-east-1.
func TestReadWithoutProvider(t *testing.T) {
	_, typ := dsSchema(t)
	loadType := typ.AttributeTypes["expected_load"]
	m, diags := read(t, &DataSource{}, map[string]tftypes.Value{
		"mode":   str("serverless"),
		"engine": str("memcached"),
		"expected_load": obj(loadType, map[string]tftypes.Value{
			"data_gb": num(2), "requests_per_second": num(1000), "avg_request_kb": num(2),
		}),
	})
	if diags.HasError() {
		t.Fatal(diags)
	}
	// 2 x 0.125 x 730 = 182.50; 2,000 ECPU/s = 17.87.
	if m.Region.ValueString() != "us-east-1" || monthly(t, m) != 200.37 || m.NodeCount.ValueInt64() != 0 || m.ReplicasPerShard.ValueInt64() != 0 {
		t.Errorf("state = %+v (monthly %v)", m, monthly(t, m))
	}
	if got := m.Cost.Attributes()["source"].(types.String).ValueString(); got != "catalog" {
		t.Errorf("source = %q", got)
	}
	if len(m.Recommendations.Elements()) != 1 {
		t.Errorf("recommendations = %v", m.Recommendations)
	}
}

func TestReadUsesTheProviderRegion(t *testing.T) {
	m, diags := read(t, &DataSource{clients: &awsops.Clients{Region: "eu-central-1"}}, map[string]tftypes.Value{
		"node_type": str("cache.t4g.micro"),
	})
	if diags.HasError() {
		t.Fatal(diags)
	}
	// 2 x 0.016 x 0.8 x 1.2 (0.0154) x 730 = 22.48.
	if m.Region.ValueString() != "eu-central-1" || monthly(t, m) != 22.48 || m.NodeCount.ValueInt64() != 2 || m.Engine.ValueString() != "valkey" {
		t.Errorf("state = %+v (monthly %v)", m, monthly(t, m))
	}
	if m.Recommendations.IsNull() || len(m.Recommendations.Elements()) != 1 {
		t.Errorf("recommendations = %v", m.Recommendations)
	}
}

func TestReadErrorsNameTheAttribute(t *testing.T) {
	for _, tc := range []struct {
		attrs map[string]tftypes.Value
		path  path.Path
		text  string
	}{
		{map[string]tftypes.Value{"region": str("mars-1"), "node_type": str("cache.r7g.large")}, path.Root("region"), "us-west-2"},
		{map[string]tftypes.Value{"node_type": str("cache.r7g.huge")}, path.Root("node_type"), "cache.r7g.large"},
		{map[string]tftypes.Value{"engine": str("x"), "mode": str("serverless")}, path.Root("engine"), "memcached, redis, valkey"},
		{map[string]tftypes.Value{"node_type": str("cache.r7g.large"), "shards": num(0)}, path.Empty(), "node count"},
	} {
		_, diags := read(t, &DataSource{}, tc.attrs)
		if !diags.HasError() {
			t.Errorf("%v: no error", tc.attrs)
			continue
		}
		d := diags.Errors()[0]
		var at path.Path
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			at = wp.Path()
		}
		if at.String() != tc.path.String() || !strings.Contains(d.Detail(), tc.text) {
			t.Errorf("%v: error at %v: %s", tc.attrs, at, d.Detail())
		}
	}
	_, typ := dsSchema(t)
	_, diags := read(t, &DataSource{}, map[string]tftypes.Value{
		"mode": str("serverless"),
		"expected_load": obj(typ.AttributeTypes["expected_load"], map[string]tftypes.Value{
			"data_gb": num(1), "requests_per_second": num(1), "peak_to_average": num(0.5),
		}),
	})
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), "peak_to_average") {
		t.Errorf("bad load: %v", diags)
	}
}

func TestValidateConfig(t *testing.T) {
	_, typ := dsSchema(t)
	if d := validate(t, map[string]tftypes.Value{"node_type": str("cache.r7g.large")}); d.HasError() || d.WarningsCount() != 0 {
		t.Errorf("valid config: %v", d)
	}
	if d := validate(t, map[string]tftypes.Value{}); !d.HasError() || !strings.Contains(d.Errors()[0].Detail(), "node_type is required") {
		t.Errorf("missing node_type: %v", d)
	}
	d := validate(t, map[string]tftypes.Value{"mode": str("serverless"), "node_type": str("cache.r7g.large")})
	if d.HasError() || d.WarningsCount() != 1 || !strings.Contains(d.Warnings()[0].Detail(), "serverless cache has no nodes") {
		t.Errorf("serverless with node_type: %v", d)
	}
	d = validate(t, map[string]tftypes.Value{"node_type": str("cache.r7g.large"), "serverless_limits": obj(typ.AttributeTypes["serverless_limits"], map[string]tftypes.Value{"max_data_gb": num(10)})})
	if d.HasError() || d.WarningsCount() != 1 {
		t.Errorf("provisioned with serverless_limits: %v", d)
	}
	// Unknown values are validated later.
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	if d := validate(t, map[string]tftypes.Value{"mode": unknown}); d.HasError() {
		t.Errorf("unknown mode: %v", d)
	}
}
