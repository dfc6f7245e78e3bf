package provider

// The provider-block arguments that hashicorp/aws users carry over unchanged (issue 19): the
// account guard, ignore_tags, the rest of assume_role, assume_role_with_web_identity, the HTTP
// client settings and FIPS endpoints. Their meaning follows hashicorp/aws and its
// aws-sdk-go-base; this file holds their schema and their conversion to plain values.

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/tags"
)

// parityModel holds the provider-block fields of this file; providerModel embeds it.
type parityModel struct {
	AllowedAccountIDs         types.Set          `tfsdk:"allowed_account_ids"`
	ForbiddenAccountIDs       types.Set          `tfsdk:"forbidden_account_ids"`
	IgnoreTags                []ignoreTagsModel  `tfsdk:"ignore_tags"`
	AssumeRoleWithWebIdentity []webIdentityModel `tfsdk:"assume_role_with_web_identity"`
	HTTPProxy                 types.String       `tfsdk:"http_proxy"`
	HTTPSProxy                types.String       `tfsdk:"https_proxy"`
	NoProxy                   types.String       `tfsdk:"no_proxy"`
	Insecure                  types.Bool         `tfsdk:"insecure"`
	CustomCABundle            types.String       `tfsdk:"custom_ca_bundle"`
	UseFIPSEndpoint           types.Bool         `tfsdk:"use_fips_endpoint"`
}

type ignoreTagsModel struct {
	Keys        types.Set `tfsdk:"keys"`
	KeyPrefixes types.Set `tfsdk:"key_prefixes"`
}

// roleModel holds the arguments assume_role and assume_role_with_web_identity share, as
// hashicorp/aws names them; both blocks' models embed it.
type roleModel struct {
	RoleARN     types.String `tfsdk:"role_arn"`
	SessionName types.String `tfsdk:"session_name"`
	Duration    types.String `tfsdk:"duration"`
	Policy      types.String `tfsdk:"policy"`
	PolicyARNs  types.Set    `tfsdk:"policy_arns"`
}

type webIdentityModel struct {
	roleModel
	WebIdentityToken     types.String `tfsdk:"web_identity_token"`
	WebIdentityTokenFile types.String `tfsdk:"web_identity_token_file"`
}

// parityConfig is parityModel reduced to plain values; providerConfig embeds it.
type parityConfig struct {
	AllowedAccountIDs   []string
	ForbiddenAccountIDs []string
	IgnoreTags          tags.IgnoreConfig
	WebIdentity         *webIdentityConfig
	// HTTPProxy and HTTPSProxy are nil when unset (the environment then applies).
	HTTPProxy       *string
	HTTPSProxy      *string
	NoProxy         string
	Insecure        bool
	CustomCABundle  string
	UseFIPSEndpoint bool
}

// webIdentityConfig is the assume_role_with_web_identity block.
type webIdentityConfig struct {
	RoleARN              string
	SessionName          string
	WebIdentityToken     string
	WebIdentityTokenFile string
	Policy               string
	PolicyARNs           []string
	Duration             time.Duration
}

// accountIDPattern: AWS account IDs are 12 digits.
var accountIDPattern = regexp.MustCompile(`^\d{12}$`)

// accountIDValidator checks every element of an account-ID set.
var accountIDValidator = setvalidator.ValueStringsAre(stringvalidator.RegexMatches(accountIDPattern, "must be a 12-digit AWS account ID"))

func parityAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"allowed_account_ids": schema.SetAttribute{
			Optional: true, ElementType: types.StringType,
			MarkdownDescription: "AWS account IDs the provider may act on. After STS `GetCallerIdentity` at configuration, " +
				"any other account is refused before any ElastiCache, EC2 or CloudWatch call: a guard against applying " +
				"with the wrong credentials. Conflicts with `forbidden_account_ids`. Needs the account ID, so it cannot " +
				"be combined with `skip_requesting_account_id`.",
			Validators: []validator.Set{accountIDValidator, setvalidator.ConflictsWith(path.MatchRoot("forbidden_account_ids"))},
		},
		"forbidden_account_ids": schema.SetAttribute{
			Optional: true, ElementType: types.StringType,
			MarkdownDescription: "AWS account IDs the provider must not act on (e.g. production from a staging " +
				"pipeline), checked like `allowed_account_ids`. Conflicts with `allowed_account_ids`.",
			Validators: []validator.Set{accountIDValidator},
		},
		"http_proxy": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "URL of a proxy for HTTP requests to AWS. As in `hashicorp/aws`, it also serves HTTPS " +
				"requests unless `https_proxy` or `HTTPS_PROXY` is set. Defaults to `HTTP_PROXY` / `http_proxy`.",
			Validators: []validator.String{proxyURLValidator()},
		},
		"https_proxy": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "URL of a proxy for HTTPS requests to AWS. Defaults to `HTTPS_PROXY` / `https_proxy`.",
			Validators:          []validator.String{proxyURLValidator()},
		},
		"no_proxy": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Comma-separated hosts, domains (`.example.com`), IPs or CIDR blocks reached without " +
				"the proxy, with the syntax of `NO_PROXY`, which is the default.",
		},
		"insecure": schema.BoolAttribute{
			Optional: true,
			MarkdownDescription: "Skip TLS certificate verification of AWS endpoints. Only for test endpoints with " +
				"self-signed certificates; prefer `custom_ca_bundle`. Default `false`.",
		},
		"custom_ca_bundle": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Path of a PEM file of CA certificates to trust for AWS endpoints (a TLS-inspecting " +
				"proxy, a private endpoint). A leading `~` is expanded. Defaults to `AWS_CA_BUNDLE` or the profile's `ca_bundle`.",
		},
		"use_fips_endpoint": schema.BoolAttribute{
			Optional: true,
			MarkdownDescription: "Use the FIPS 140-validated endpoints of every service that has them in the region. " +
				"A custom endpoint set for a service (`endpoints`, `AWS_ENDPOINT_URL_*`) wins over it for that " +
				"service. Defaults to `AWS_USE_FIPS_ENDPOINT` or the profile's `use_fips_endpoint`.",
		},
	}
}

func parityBlocks() map[string]schema.Block {
	return map[string]schema.Block{
		"ignore_tags": schema.ListNestedBlock{
			MarkdownDescription: "Tags managed outside Terraform (AWS Organizations tag policies, cost tools). An ignored " +
				"tag is left out of `tags_all`, shows no drift, and is never set or removed when the provider syncs the " +
				"tags of the stack's components. A key set in a resource's `tags` that is also ignored shows a perpetual " +
				"diff, as in `hashicorp/aws`. At most one block.",
			Validators: []validator.List{listvalidator.SizeAtMost(1)},
			NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
				"keys": schema.SetAttribute{
					Optional: true, ElementType: types.StringType,
					MarkdownDescription: "Exact tag keys to ignore.",
				},
				"key_prefixes": schema.SetAttribute{
					Optional: true, ElementType: types.StringType,
					MarkdownDescription: "Tag key prefixes to ignore, e.g. `org:`.",
				},
			}},
		},
		"assume_role_with_web_identity": schema.ListNestedBlock{
			MarkdownDescription: "Get credentials with STS `AssumeRoleWithWebIdentity` from an OIDC token, e.g. in " +
				"CI (GitHub Actions, GitLab). Used before `assume_role`, which then chains from it. At most one block.",
			Validators:   []validator.List{listvalidator.SizeAtMost(1)},
			NestedObject: schema.NestedBlockObject{Attributes: webIdentityAttributes()},
		},
	}
}

func webIdentityAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"role_arn": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "ARN of the IAM role to assume. Defaults to `AWS_ROLE_ARN`.",
		},
		"session_name": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: fmt.Sprintf("Session name recorded in CloudTrail. Defaults to `AWS_ROLE_SESSION_NAME`, "+
				"else `%s`.", defaultAssumeRoleSessionName),
		},
		"web_identity_token": schema.StringAttribute{
			Optional: true, Sensitive: true,
			MarkdownDescription: "The OIDC token itself. Conflicts with `web_identity_token_file`.",
			Validators:          []validator.String{stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("web_identity_token_file"))},
		},
		"web_identity_token_file": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Path of a file holding the OIDC token, read again at every refresh. Defaults to " +
				"`AWS_WEB_IDENTITY_TOKEN_FILE`.",
		},
		"policy": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "IAM policy JSON that further restricts the session's permissions.",
		},
		"policy_arns": schema.SetAttribute{
			Optional: true, ElementType: types.StringType,
			MarkdownDescription: "ARNs of managed policies that further restrict the session's permissions.",
		},
		"duration": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Session lifetime as a Go duration string between `15m` and `12h`. Default `1h`.",
			Validators:          []validator.String{durationValidator(15*time.Minute, 12*time.Hour)},
		},
	}
}

// assumeRoleExtraAttributes are the assume_role arguments besides role_arn, session_name,
// external_id and duration.
func assumeRoleExtraAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"policy": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "IAM policy JSON that further restricts the assumed role's permissions.",
		},
		"policy_arns": schema.SetAttribute{
			Optional: true, ElementType: types.StringType,
			MarkdownDescription: "ARNs of managed policies that further restrict the assumed role's permissions.",
		},
		"tags": schema.MapAttribute{
			Optional: true, ElementType: types.StringType,
			MarkdownDescription: "Session tags (attribute-based access control). The role's trust policy must allow " +
				"`sts:TagSession`.",
		},
		"transitive_tag_keys": schema.SetAttribute{
			Optional: true, ElementType: types.StringType,
			MarkdownDescription: "Keys of session `tags` that pass on to roles assumed later in a chain.",
		},
		"source_identity": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Source identity recorded in CloudTrail and passed along a role chain. The role's trust " +
				"policy must allow `sts:SetSourceIdentity`.",
			Validators: []validator.String{stringvalidator.LengthBetween(2, 64)},
		},
	}
}

// toParityConfig converts the fields of parityModel. getenv supplies the web identity defaults.
func (m parityModel) toParityConfig(ctx context.Context, getenv func(string) string) (parityConfig, diag.Diagnostics) {
	var diags diag.Diagnostics
	pc := parityConfig{
		NoProxy:         m.NoProxy.ValueString(),
		Insecure:        m.Insecure.ValueBool(),
		CustomCABundle:  m.CustomCABundle.ValueString(),
		UseFIPSEndpoint: m.UseFIPSEndpoint.ValueBool(),
	}
	if !m.HTTPProxy.IsNull() {
		pc.HTTPProxy = m.HTTPProxy.ValueStringPointer()
	}
	if !m.HTTPSProxy.IsNull() {
		pc.HTTPSProxy = m.HTTPSProxy.ValueStringPointer()
	}
	diags.Append(setStrings(ctx, m.AllowedAccountIDs, &pc.AllowedAccountIDs)...)
	diags.Append(setStrings(ctx, m.ForbiddenAccountIDs, &pc.ForbiddenAccountIDs)...)
	if len(m.IgnoreTags) > 0 {
		diags.Append(setStrings(ctx, m.IgnoreTags[0].Keys, &pc.IgnoreTags.Keys)...)
		diags.Append(setStrings(ctx, m.IgnoreTags[0].KeyPrefixes, &pc.IgnoreTags.KeyPrefixes)...)
	}
	if len(m.AssumeRoleWithWebIdentity) > 0 {
		wi, d := m.AssumeRoleWithWebIdentity[0].toConfig(ctx, getenv)
		diags.Append(d...)
		pc.WebIdentity = wi
	}
	return pc, diags
}

func (w webIdentityModel) toConfig(ctx context.Context, getenv func(string) string) (*webIdentityConfig, diag.Diagnostics) {
	var diags diag.Diagnostics
	block := path.Root("assume_role_with_web_identity").AtListIndex(0)
	wi := &webIdentityConfig{
		RoleARN:              orDefault(w.RoleARN.ValueString(), getenv("AWS_ROLE_ARN")),
		SessionName:          orDefault(w.SessionName.ValueString(), getenv("AWS_ROLE_SESSION_NAME")),
		WebIdentityToken:     w.WebIdentityToken.ValueString(),
		WebIdentityTokenFile: w.WebIdentityTokenFile.ValueString(),
		Policy:               w.Policy.ValueString(),
	}
	if wi.WebIdentityToken == "" && wi.WebIdentityTokenFile == "" {
		wi.WebIdentityTokenFile = getenv("AWS_WEB_IDENTITY_TOKEN_FILE")
	}
	wi.WebIdentityTokenFile = expandHome(wi.WebIdentityTokenFile)
	diags.Append(setStrings(ctx, w.PolicyARNs, &wi.PolicyARNs)...)
	if wi.RoleARN == "" {
		diags.AddAttributeError(block.AtName("role_arn"), "Missing role_arn for assume_role_with_web_identity",
			"Set role_arn in the assume_role_with_web_identity block or the AWS_ROLE_ARN environment variable.")
	}
	if wi.WebIdentityToken == "" && wi.WebIdentityTokenFile == "" {
		diags.AddAttributeError(block, "Missing web identity token",
			"Set web_identity_token or web_identity_token_file in the assume_role_with_web_identity block, "+
				"or the AWS_WEB_IDENTITY_TOKEN_FILE environment variable.")
	}
	if d := w.Duration.ValueString(); d != "" {
		parsed, err := time.ParseDuration(d)
		if err != nil {
			diags.AddAttributeError(block.AtName("duration"), "Invalid duration", err.Error())
		}
		wi.Duration = parsed
	}
	return wi, diags
}

// toAssumeRoleExtras fills the assume_role arguments of assumeRoleExtraAttributes.
func (ar assumeRoleModel) toAssumeRoleExtras(ctx context.Context, c *assumeRoleConfig) diag.Diagnostics {
	var diags diag.Diagnostics
	c.Policy = ar.Policy.ValueString()
	c.SourceIdentity = ar.SourceIdentity.ValueString()
	diags.Append(setStrings(ctx, ar.PolicyARNs, &c.PolicyARNs)...)
	diags.Append(setStrings(ctx, ar.TransitiveTagKeys, &c.TransitiveTagKeys)...)
	if !ar.Tags.IsNull() {
		diags.Append(ar.Tags.ElementsAs(ctx, &c.Tags, false)...)
	}
	return diags
}

func setStrings(ctx context.Context, s types.Set, out *[]string) diag.Diagnostics {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	return s.ElementsAs(ctx, out, false)
}

// withAttributes returns base with extra added (extra wins; neither is modified).
func withAttributes(extra, base map[string]schema.Attribute) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(base)+len(extra))
	maps.Copy(out, base)
	maps.Copy(out, extra)
	return out
}
