package provider

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
)

// Terraform prunes providers that no resource or data source uses, so a configuration with
// only a provider block never reaches Configure. These tests serve the real provider plus a
// test-only data source, elasticache_test_probe, that reports what Configure handed over.

// probeProvider is the real provider with the test-only data source added.
type probeProvider struct {
	*ElastiCacheProvider
}

func (p probeProvider) DataSources(ctx context.Context) []func() datasource.DataSource {
	return append(p.ElastiCacheProvider.DataSources(ctx), func() datasource.DataSource { return &probeDataSource{} })
}

// protoV6Factories serves the provider in-process to the Terraform CLI.
var protoV6Factories = map[string]func() (tfprotov6.ProviderServer, error){
	"elasticache": providerserver.NewProtocol6WithError(probeProvider{&ElastiCacheProvider{version: "test"}}),
}

type probeDataSource struct {
	clients *awsops.Clients
}

type probeModel struct {
	AccountID   types.String `tfsdk:"account_id"`
	Partition   types.String `tfsdk:"partition"`
	Region      types.String `tfsdk:"region"`
	LivePricing types.Bool   `tfsdk:"live_pricing"`
	DefaultTags types.Map    `tfsdk:"default_tags"`
}

func (d *probeDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_test_probe"
}

func (d *probeDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"account_id":   schema.StringAttribute{Computed: true},
		"partition":    schema.StringAttribute{Computed: true},
		"region":       schema.StringAttribute{Computed: true},
		"live_pricing": schema.BoolAttribute{Computed: true},
		"default_tags": schema.MapAttribute{Computed: true, ElementType: types.StringType},
	}}
}

// Configure keeps the provider's clients; before the provider is configured (or given anything
// else) there are none, which Read reports.
func (d *probeDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, _ *datasource.ConfigureResponse) {
	d.clients, _ = req.ProviderData.(*awsops.Clients)
}

func (d *probeDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.clients == nil {
		resp.Diagnostics.AddError("Provider not configured", "the probe received no clients")
		return
	}
	tags, diags := types.MapValueFrom(ctx, types.StringType, d.clients.DefaultTags)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, probeModel{
		AccountID:   types.StringValue(d.clients.AccountID),
		Partition:   types.StringValue(d.clients.Partition),
		Region:      types.StringValue(d.clients.Region),
		LivePricing: types.BoolValue(d.clients.LivePricing),
		DefaultTags: tags,
	})...)
}

const probeConfig = `
data "elasticache_test_probe" "this" {}
`

// useEmptyCLIConfig points Terraform at an empty CLI config: the machine's TF_CLI_CONFIG_FILE
// names a file that does not exist.
func useEmptyCLIConfig(t *testing.T) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "terraformrc")
	writeFile(t, f, "")
	t.Setenv("TF_CLI_CONFIG_FILE", f)
}

// terraformStep runs one step through the real Terraform CLI with the AWS environment blanked
// and an empty CLI config: the given provider block plus the probe data source.
func terraformStep(t *testing.T, providerBlock string, step resource.TestStep) {
	t.Helper()
	isolateAWSEnv(t)
	useEmptyCLIConfig(t)
	step.Config = providerBlock + probeConfig
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps:                    []resource.TestStep{step},
	})
}

// staticCredentialsProvider is a provider block with the test's static keys in region, plus
// body (more arguments and blocks, indented by two spaces).
func staticCredentialsProvider(region, body string) string {
	return fmt.Sprintf("provider \"elasticache\" {\n  region     = %q\n  access_key = %q\n  secret_key = %q\n%s}\n",
		region, testAccessKey, testSecretKey, body)
}

// stsEndpoint is the endpoints block that points STS at url.
func stsEndpoint(url string) string {
	return "  endpoints {\n    sts = \"" + url + "\"\n  }\n"
}

// TestTerraformBadRegion drives the provider through the real Terraform CLI: a provider block
// with an unknown region fails plan with an error naming the region.
func TestTerraformBadRegion(t *testing.T) {
	terraformStep(t, staticCredentialsProvider("mars-north-1", ""), resource.TestStep{
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)Invalid AWS region.*region = "mars-north-1".*skip_region_validation`),
	})
}

// TestTerraformValidation checks plan-time validation of the provider block through the CLI.
func TestTerraformValidation(t *testing.T) {
	terraformStep(t, `
provider "elasticache" {
  region     = "us-east-1"
  retry_mode = "aggressive"
}
`, resource.TestStep{
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)retry_mode.*standard.*adaptive`),
	})
}

// TestTerraformConfigureAgainstFakeSTS applies a configuration whose provider block points STS
// at a local fake: Terraform configures the provider, the one STS call lands, and the clients
// carry the account ID, partition, region, default tags and live_pricing.
func TestTerraformConfigureAgainstFakeSTS(t *testing.T) {
	stsSrv := newFakeSTS(t, false)
	body := "  live_pricing = true\n" + stsEndpoint(stsSrv.URL) + "  default_tags {\n    tags = { team = \"platform\" }\n  }\n"
	terraformStep(t, staticCredentialsProvider("eu-west-1", body), resource.TestStep{
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr("data.elasticache_test_probe.this", "account_id", testAccountID),
			resource.TestCheckResourceAttr("data.elasticache_test_probe.this", "partition", "aws"),
			resource.TestCheckResourceAttr("data.elasticache_test_probe.this", "region", "eu-west-1"),
			resource.TestCheckResourceAttr("data.elasticache_test_probe.this", "live_pricing", "true"),
			resource.TestCheckResourceAttr("data.elasticache_test_probe.this", "default_tags.team", "platform"),
		),
	})
	if len(stsSrv.Calls()) == 0 {
		t.Error("Terraform never configured the provider")
	}
}

// TestTerraformRejectedCredentials shows the credential error as Terraform prints it.
func TestTerraformRejectedCredentials(t *testing.T) {
	stsSrv := newFakeSTS(t, true)
	terraformStep(t, staticCredentialsProvider("eu-west-1", stsEndpoint(stsSrv.URL)), resource.TestStep{
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)AWS rejected the provider's credentials.*InvalidClientTokenId`),
	})
}
