// Package provider implements the cachestack/elasticache provider: its schema and Configure,
// which turns the provider block and the standard AWS_* environment into configured AWS clients.
package provider

import (
	"context"
	"fmt"
	"maps"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/cost"
	"github.com/cachestack/terraform-provider-elasticache/internal/tfvalidate"
)

var _ provider.Provider = (*ElastiCacheProvider)(nil)

// ElastiCacheProvider is the provider implementation.
type ElastiCacheProvider struct {
	version string
	// getenv reads the environment for endpoint resolution and messages; nil means os.Getenv.
	getenv func(string) string
}

// New returns a constructor for the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &ElastiCacheProvider{version: version} }
}

func (p *ElastiCacheProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "elasticache"
	resp.Version = p.version
}

// providerModel maps the provider block.
type providerModel struct {
	Region                    types.String       `tfsdk:"region"`
	Profile                   types.String       `tfsdk:"profile"`
	SharedConfigFiles         types.List         `tfsdk:"shared_config_files"`
	SharedCredentialsFiles    types.List         `tfsdk:"shared_credentials_files"`
	AccessKey                 types.String       `tfsdk:"access_key"`
	SecretKey                 types.String       `tfsdk:"secret_key"`
	Token                     types.String       `tfsdk:"token"`
	AssumeRole                []assumeRoleModel  `tfsdk:"assume_role"`
	MaxRetries                types.Int64        `tfsdk:"max_retries"`
	RetryMode                 types.String       `tfsdk:"retry_mode"`
	Endpoints                 []types.Object     `tfsdk:"endpoints"` // an attribute per endpointServices entry
	SkipCredentialsValidation types.Bool         `tfsdk:"skip_credentials_validation"`
	SkipRequestingAccountID   types.Bool         `tfsdk:"skip_requesting_account_id"`
	SkipRegionValidation      types.Bool         `tfsdk:"skip_region_validation"`
	SkipMetadataAPICheck      types.Bool         `tfsdk:"skip_metadata_api_check"`
	DefaultTags               []defaultTagsModel `tfsdk:"default_tags"`
	LivePricing               types.Bool         `tfsdk:"live_pricing"`
	parityModel
}

type assumeRoleModel struct {
	roleModel               // role_arn, session_name, duration, policy, policy_arns (parity.go)
	ExternalID types.String `tfsdk:"external_id"`
	// The rest of hashicorp/aws's assume_role (parity.go).
	Tags              types.Map    `tfsdk:"tags"`
	TransitiveTagKeys types.Set    `tfsdk:"transitive_tag_keys"`
	SourceIdentity    types.String `tfsdk:"source_identity"`
}

type defaultTagsModel struct {
	Tags types.Map `tfsdk:"tags"`
}

func (p *ElastiCacheProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) { //nolint:funlen // declarative schema definition
	endpointAttrs := make(map[string]schema.Attribute, len(endpointServices))
	for _, s := range endpointServices {
		endpointAttrs[s.Key] = schema.StringAttribute{
			Optional: true,
			MarkdownDescription: fmt.Sprintf("URL of the %s API, e.g. `http://localhost:4566` for LocalStack or the bundled "+
				"emulator. Overrides `%s` and `AWS_ENDPOINT_URL`.", s.Name, serviceEndpointEnvVar(s.Key)),
			Validators: []validator.String{endpointURLValidator()},
		}
	}

	resp.Schema = schema.Schema{
		MarkdownDescription: "The `elasticache` provider stands up production-grade Amazon ElastiCache deployments " +
			"(`elasticache_stack`). Its configuration follows the `hashicorp/aws` provider, so an existing `provider \"aws\"` " +
			"block carries over, and the standard `AWS_*` environment variables, shared config files and profiles work " +
			"as they do with the AWS CLI. Values in the provider block win over the environment.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "AWS region, e.g. `eu-west-1`. Required here or through `AWS_REGION`, `AWS_DEFAULT_REGION` " +
					"or the selected profile's `region`. Checked against the known AWS regions (commercial, GovCloud, China) " +
					"unless `skip_region_validation` is set.",
			},
			"profile": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Name of the AWS shared config profile to use. Overrides `AWS_PROFILE`. When set, it also " +
					"takes precedence over credentials in `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`.",
			},
			"shared_config_files": schema.ListAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Paths of shared config files. Defaults to `AWS_CONFIG_FILE` or `~/.aws/config`. " +
					"A leading `~` is expanded.",
			},
			"shared_credentials_files": schema.ListAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Paths of shared credentials files. Defaults to `AWS_SHARED_CREDENTIALS_FILE` or " +
					"`~/.aws/credentials`. A leading `~` is expanded.",
			},
			"access_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "AWS access key ID for static credentials; requires `secret_key`. Prefer a profile, " +
					"the environment (`AWS_ACCESS_KEY_ID`) or an instance role over credentials in configuration.",
				Validators: []validator.String{stringvalidator.AlsoRequires(path.MatchRoot("secret_key"))},
			},
			"secret_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "AWS secret access key for static credentials; requires `access_key`. Never logged.",
				Validators:          []validator.String{stringvalidator.AlsoRequires(path.MatchRoot("access_key"))},
			},
			"token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Session token for temporary static credentials; requires `access_key` and `secret_key`.",
				Validators:          []validator.String{stringvalidator.AlsoRequires(path.MatchRoot("access_key"))},
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Maximum number of times a failed AWS call (throttling, transient "+
					"server or network error) is retried; each call makes at most `max_retries + 1` attempts. When unset, "+
					"`AWS_MAX_ATTEMPTS` or the profile's `max_attempts` applies, else %d. The credential check at "+
					"start-up always makes at most %d attempts, so a wrong endpoint fails fast.", defaultMaxRetries, validationMaxAttempts),
				Validators: []validator.Int64{int64validator.Between(0, 100)},
			},
			"retry_mode": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Retry strategy: `standard` (exponential backoff with jitter) or `adaptive` " +
					"(standard plus client-side rate limiting when AWS throttles). When unset, `AWS_RETRY_MODE` or the " +
					"profile's `retry_mode` applies, else `standard`.",
				Validators: []validator.String{stringvalidator.OneOf("standard", "adaptive")},
			},
			"skip_credentials_validation": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip validating the credentials with STS `GetCallerIdentity` when the provider is " +
					"configured. Useful against endpoints without STS. Default `false`.",
			},
			"skip_requesting_account_id": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Do not determine the AWS account ID. Together with `skip_credentials_validation` the " +
					"provider then makes no AWS call at all when it is configured; the partition is derived from the " +
					"region. Default `false`.",
			},
			"skip_region_validation": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Accept a `region` that is not in the provider's list of known AWS regions (new regions, " +
					"AWS-compatible endpoints). Default `false`.",
			},
			"skip_metadata_api_check": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Do not use the EC2 instance metadata service (IMDS) for credentials or region. Useful " +
					"outside AWS to avoid waiting on the metadata endpoint. Default `false`.",
			},
			"live_pricing": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Let cost estimates query the AWS Pricing API (in `us-east-1`, or the `pricing` " +
					"endpoint) before falling back to the provider's built-in price catalog. Needs `pricing:GetProducts`. " +
					"Default `false`: estimates use the catalog only and plans make no Pricing calls.",
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.ListNestedBlock{
				MarkdownDescription: "Assume an IAM role with STS `AssumeRole`, using the credentials found from the other " +
					"settings as the source. At most one block.",
				Validators: []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: withAttributes(assumeRoleExtraAttributes(), map[string]schema.Attribute{
						"role_arn": schema.StringAttribute{
							Required:            true,
							MarkdownDescription: "ARN of the IAM role to assume.",
						},
						"session_name": schema.StringAttribute{
							Optional: true,
							MarkdownDescription: fmt.Sprintf("Session name recorded in CloudTrail. Default `%s`.",
								defaultAssumeRoleSessionName),
						},
						"external_id": schema.StringAttribute{
							Optional:            true,
							MarkdownDescription: "External ID required by the role's trust policy, if any.",
						},
						"duration": schema.StringAttribute{
							Optional: true,
							MarkdownDescription: "Lifetime of the assumed-role session as a Go duration string, e.g. `1h` " +
								"or `90m`, between `15m` and `12h` (the role's maximum session duration applies). " +
								"Default `15m`; credentials are refreshed automatically.",
							Validators: []validator.String{durationValidator(15*time.Minute, 12*time.Hour)},
						},
					}),
				},
			},
			"endpoints": schema.ListNestedBlock{
				MarkdownDescription: "Custom service endpoints, e.g. for LocalStack or the bundled emulator. Per service, " +
					"the precedence is: this block, then `AWS_ENDPOINT_URL_<SERVICE>` (`AWS_ENDPOINT_URL_ELASTICACHE`, " +
					"`AWS_ENDPOINT_URL_EC2`, `AWS_ENDPOINT_URL_CLOUDWATCH`, `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_SNS`, " +
					"`AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL_PRICING`, `AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING`), then `AWS_ENDPOINT_URL`, then the " +
					"AWS default. At most one block.",
				Validators: []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: endpointAttrs,
				},
			},
			"default_tags": schema.ListNestedBlock{
				MarkdownDescription: "Tags applied to every taggable AWS resource the provider creates. A tag with the " +
					"same key set on a resource wins. At most one block.",
				Validators: []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"tags": schema.MapAttribute{
							Optional:            true,
							ElementType:         types.StringType,
							MarkdownDescription: "Tags as a map of key to value.",
						},
					},
				},
			},
		},
	}
	maps.Copy(resp.Schema.Attributes, parityAttributes())
	maps.Copy(resp.Schema.Blocks, parityBlocks())
}

func (p *ElastiCacheProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	// A provider block may depend on values known only after apply (e.g. another resource's
	// output). Configuring with guesses would be wrong: leave the provider unconfigured (no
	// error), or defer when Terraform supports it. Resources then see nil provider data.
	if !req.Config.Raw.IsFullyKnown() {
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
		}
		tflog.Warn(ctx, "Provider configuration has values unknown until apply; the provider is not configured in this phase")
		return
	}

	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}

	getenv := p.getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	pc, diags := m.toConfig(ctx)
	resp.Diagnostics.Append(diags...)
	pc.parityConfig, diags = m.toParityConfig(ctx, getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	clients, diags := buildClients(ctx, pc, buildEnv{
		Getenv:           getenv,
		ProviderVersion:  p.version,
		TerraformVersion: req.TerraformVersion,
	})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	// The price source lives as long as the provider, so live prices are fetched once per plan.
	clients.Prices = cost.NewPrices(clients.LivePricing, clients.Pricing, clients.ElastiCache)
	resp.ResourceData = clients
	resp.DataSourceData = clients
	resp.EphemeralResourceData = clients
}

// toConfig converts the (fully known) provider block into plain values.
func (m providerModel) toConfig(ctx context.Context) (providerConfig, diag.Diagnostics) {
	var diags diag.Diagnostics
	pc := providerConfig{
		Region:                    strings.TrimSpace(m.Region.ValueString()),
		Profile:                   m.Profile.ValueString(),
		AccessKey:                 m.AccessKey.ValueString(),
		SecretKey:                 m.SecretKey.ValueString(),
		Token:                     m.Token.ValueString(),
		RetryMode:                 m.RetryMode.ValueString(),
		SkipCredentialsValidation: m.SkipCredentialsValidation.ValueBool(),
		SkipRequestingAccountID:   m.SkipRequestingAccountID.ValueBool(),
		SkipRegionValidation:      m.SkipRegionValidation.ValueBool(),
		SkipMetadataAPICheck:      m.SkipMetadataAPICheck.ValueBool(),
		LivePricing:               m.LivePricing.ValueBool(),
	}
	if !m.MaxRetries.IsNull() {
		n := int(m.MaxRetries.ValueInt64())
		pc.MaxRetries = &n
	}
	if !m.SharedConfigFiles.IsNull() {
		diags.Append(m.SharedConfigFiles.ElementsAs(ctx, &pc.SharedConfigFiles, false)...)
	}
	if !m.SharedCredentialsFiles.IsNull() {
		diags.Append(m.SharedCredentialsFiles.ElementsAs(ctx, &pc.SharedCredentialsFiles, false)...)
	}
	if len(m.AssumeRole) > 0 {
		ar := m.AssumeRole[0]
		pc.AssumeRole = &assumeRoleConfig{
			RoleARN:     ar.RoleARN.ValueString(),
			SessionName: ar.SessionName.ValueString(),
			ExternalID:  ar.ExternalID.ValueString(),
		}
		diags.Append(ar.toAssumeRoleExtras(ctx, pc.AssumeRole)...)
		if d := ar.Duration.ValueString(); d != "" {
			parsed, err := time.ParseDuration(d)
			if err != nil {
				diags.AddAttributeError(path.Root("assume_role").AtListIndex(0).AtName("duration"),
					"Invalid assume_role duration", fmt.Sprintf("%q is not a Go duration such as \"1h\": %s", d, err))
			}
			pc.AssumeRole.Duration = parsed
		}
	}
	if len(m.Endpoints) > 0 {
		attrs := m.Endpoints[0].Attributes()
		pc.Endpoints = map[string]string{}
		for _, svc := range endpointServices {
			if v, ok := attrs[svc.Key].(types.String); ok && v.ValueString() != "" {
				pc.Endpoints[svc.Key] = v.ValueString()
			}
		}
	}
	if len(m.DefaultTags) > 0 && !m.DefaultTags[0].Tags.IsNull() {
		pc.DefaultTags = map[string]string{}
		diags.Append(m.DefaultTags[0].Tags.ElementsAs(ctx, &pc.DefaultTags, false)...)
	}
	return pc, diags
}

func (p *ElastiCacheProvider) Resources(_ context.Context) []func() resource.Resource {
	return resourceConstructors()
}

func (p *ElastiCacheProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return dataSourceConstructors()
}

// endpointURLValidator checks that an endpoint is an absolute http(s) URL.
func endpointURLValidator() validator.String {
	return tfvalidate.String("value must be an absolute http:// or https:// URL", func(p path.Path, value string) (string, string) {
		if err := checkEndpointURL(value); err != nil {
			return "Invalid endpoint URL", fmt.Sprintf("%s: %s. Use an absolute URL such as http://localhost:4566.", p, err)
		}
		return "", ""
	})
}

// durationValidator checks a Go duration string and its bounds.
func durationValidator(lowest, highest time.Duration) validator.String {
	description := fmt.Sprintf("value must be a Go duration string (e.g. \"1h\") between %s and %s", lowest, highest)
	return tfvalidate.String(description, func(p path.Path, s string) (string, string) {
		d, err := time.ParseDuration(s)
		switch {
		case err != nil:
			return "Invalid duration", fmt.Sprintf("%s = %q is not a Go duration string such as \"1h\" or \"90m\".", p, s)
		case d < lowest || d > highest:
			return "Duration out of range", fmt.Sprintf("%s = %q must be between %s and %s.", p, s, lowest, highest)
		}
		return "", ""
	})
}
