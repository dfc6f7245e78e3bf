package provider

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	smithymiddleware "github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/sdkhttp"
)

const (
	// defaultMaxRetries applies when neither max_retries, AWS_MAX_ATTEMPTS nor a profile's
	// max_attempts is set. ElastiCache's Describe APIs throttle early and the provider polls
	// them while waiting, so it retries more than the SDK's default of 2 retries.
	defaultMaxRetries = 9
	// validationMaxAttempts caps the attempts of the credential-validation call in Configure
	// against an endpoint that refuses or cannot be resolved, so it fails in seconds rather than
	// after a long backoff; throttling is retried as usual.
	validationMaxAttempts = 2
	// validationMaxBackoff caps the wait between those attempts.
	validationMaxBackoff = time.Second
	// validationTimeout bounds the whole credential validation (including any AssumeRole).
	validationTimeout = 30 * time.Second
	// defaultAssumeRoleSessionName is the session name used when assume_role sets none.
	defaultAssumeRoleSessionName = "terraform-provider-elasticache"
	// pricingRegion hosts the Pricing API for the aws partition (it also runs in eu-central-1
	// and ap-south-1); pricingRegionChina is its home in the aws-cn partition.
	pricingRegion      = "us-east-1"
	pricingRegionChina = "cn-northwest-1"
)

// knownRegions are the AWS regions the provider accepts without skip_region_validation, by
// partition. New regions open from time to time: skip_region_validation is the escape hatch
// until this list learns them.
var knownRegions = map[string][]string{
	"aws": {
		"af-south-1",
		"ap-east-1", "ap-east-2",
		"ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
		"ap-south-1", "ap-south-2",
		"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
		"ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
		"ca-central-1", "ca-west-1",
		"eu-central-1", "eu-central-2",
		"eu-north-1",
		"eu-south-1", "eu-south-2",
		"eu-west-1", "eu-west-2", "eu-west-3",
		"il-central-1",
		"me-central-1", "me-south-1",
		"mx-central-1",
		"sa-east-1",
		"us-east-1", "us-east-2",
		"us-west-1", "us-west-2",
	},
	"aws-us-gov": {"us-gov-east-1", "us-gov-west-1"},
	"aws-cn":     {"cn-north-1", "cn-northwest-1"},
}

// regionPartition returns the partition of a known region, and whether the region is known.
func regionPartition(region string) (string, bool) {
	for partition, regions := range knownRegions {
		for _, r := range regions {
			if r == region {
				return partition, true
			}
		}
	}
	return "", false
}

// partitionForRegion guesses the partition of any region name from its prefix, for when the
// account's ARN is not available (skip_requesting_account_id) or the region is not in the list.
func partitionForRegion(region string) string {
	if p, ok := regionPartition(region); ok {
		return p
	}
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(region, "eusc-"):
		return "aws-eusc"
	default:
		return "aws"
	}
}

// allKnownRegions returns every known region, sorted.
func allKnownRegions() []string {
	var all []string
	for _, regions := range knownRegions {
		all = append(all, regions...)
	}
	sort.Strings(all)
	return all
}

// closestRegion returns the known region nearest to name by edit distance, if it is close
// enough to be a plausible typo.
func closestRegion(name string) (string, bool) {
	best, bestDist := "", len(name)+1
	for _, r := range allKnownRegions() {
		if d := editDistance(strings.ToLower(name), r); d < bestDist {
			best, bestDist = r, d
		}
	}
	return best, bestDist <= 3
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// providerConfig is the provider block reduced to plain Go values (all known).
type providerConfig struct {
	Region                 string
	Profile                string
	SharedConfigFiles      []string
	SharedCredentialsFiles []string
	AccessKey              string
	SecretKey              string
	Token                  string
	AssumeRole             *assumeRoleConfig
	// MaxRetries is nil when max_retries is not set.
	MaxRetries *int
	RetryMode  string
	Endpoints  map[string]string

	SkipCredentialsValidation bool
	SkipRequestingAccountID   bool
	SkipRegionValidation      bool
	SkipMetadataAPICheck      bool

	DefaultTags map[string]string
	LivePricing bool
	// The hashicorp/aws arguments of parity.go.
	parityConfig
}

// assumeRoleConfig is the assume_role block.
type assumeRoleConfig struct {
	RoleARN     string
	SessionName string
	ExternalID  string
	Duration    time.Duration
	// Policy, PolicyARNs, Tags, TransitiveTagKeys and SourceIdentity pass to AssumeRole as is.
	Policy            string
	PolicyARNs        []string
	Tags              map[string]string
	TransitiveTagKeys []string
	SourceIdentity    string
}

// buildEnv carries what buildClients needs from outside the provider block.
type buildEnv struct {
	// Getenv reads the environment; os.Getenv in production. The SDK reads the process
	// environment itself: Getenv only drives endpoint resolution and messages.
	Getenv func(string) string
	// ProviderVersion and TerraformVersion go into the User-Agent.
	ProviderVersion  string
	TerraformVersion string
}

// retrySettings is the retry behaviour every client gets.
type retrySettings struct {
	MaxAttempts int
	Mode        aws.RetryMode
	Source      string
}

// resolveRetry combines the provider block with what the SDK loaded from AWS_MAX_ATTEMPTS /
// AWS_RETRY_MODE or the profile's max_attempts / retry_mode. The provider block wins.
func resolveRetry(pc providerConfig, loaded aws.Config) retrySettings {
	rs := retrySettings{MaxAttempts: defaultMaxRetries + 1, Mode: aws.RetryModeStandard}
	var sources []string
	switch {
	case pc.MaxRetries != nil:
		rs.MaxAttempts = *pc.MaxRetries + 1
		sources = append(sources, "max_retries from the provider block")
	case loaded.RetryMaxAttempts > 0:
		rs.MaxAttempts = loaded.RetryMaxAttempts
		sources = append(sources, "max attempts from AWS_MAX_ATTEMPTS or the shared config profile")
	default:
		sources = append(sources, fmt.Sprintf("default of %d retries", defaultMaxRetries))
	}
	switch {
	case pc.RetryMode != "":
		rs.Mode = aws.RetryMode(pc.RetryMode)
		sources = append(sources, "retry_mode from the provider block")
	case loaded.RetryMode != "":
		rs.Mode = loaded.RetryMode
		sources = append(sources, "retry mode from AWS_RETRY_MODE or the shared config profile")
	}
	rs.Source = strings.Join(sources, ", ")
	return rs
}

// newRetryer returns the retryer constructor for rs. Client-side retry quotas are disabled
// (as hashicorp/aws does): the provider runs long waits and concurrent creates, and a shared
// quota turns a burst of throttling into hard "retry quota exceeded" failures.
func (rs retrySettings) newRetryer() func() aws.Retryer {
	std := func(o *retry.StandardOptions) {
		o.MaxAttempts = rs.MaxAttempts
		o.RateLimiter = ratelimit.None
	}
	if rs.Mode == aws.RetryModeAdaptive {
		return func() aws.Retryer {
			return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
				o.StandardOptions = append(o.StandardOptions, std)
			})
		}
	}
	return func() aws.Retryer { return retry.NewStandard(std) }
}

// describeCredentialSource says where credentials come from, without any secret value, in the
// same order of precedence the SDK applies.
func describeCredentialSource(pc providerConfig, getenv func(string) string) string {
	var base string
	switch {
	case pc.AccessKey != "":
		base = "static access_key/secret_key from the provider block"
		if pc.Token != "" {
			base += " (with session token)"
		}
	case pc.Profile != "":
		base = fmt.Sprintf("shared config profile %q (profile in the provider block)", pc.Profile)
	case getenv("AWS_ACCESS_KEY_ID") != "":
		base = "environment variables AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY"
		if getenv("AWS_SESSION_TOKEN") != "" {
			base += " / AWS_SESSION_TOKEN"
		}
	case getenv("AWS_PROFILE") != "":
		base = fmt.Sprintf("shared config profile %q (AWS_PROFILE)", getenv("AWS_PROFILE"))
	case getenv("AWS_WEB_IDENTITY_TOKEN_FILE") != "":
		base = fmt.Sprintf("web identity token file (AWS_WEB_IDENTITY_TOKEN_FILE) for role %q", getenv("AWS_ROLE_ARN"))
	default:
		base = "the default credential chain (default profile of the shared config and credentials files, then container or EC2 instance role)"
	}
	if pc.WebIdentity != nil {
		base = fmt.Sprintf("web identity token (assume_role_with_web_identity) for role %q", pc.WebIdentity.RoleARN)
	}
	if pc.AssumeRole != nil {
		base += fmt.Sprintf(", then assume role %q", pc.AssumeRole.RoleARN)
	}
	return base
}

// describeRegionSource says where the region came from.
func describeRegionSource(pc providerConfig, getenv func(string) string) string {
	switch {
	case pc.Region != "":
		return "region in the provider block"
	case getenv("AWS_REGION") != "":
		return "AWS_REGION environment variable"
	case getenv("AWS_DEFAULT_REGION") != "":
		return "AWS_DEFAULT_REGION environment variable"
	default:
		return "shared config profile"
	}
}

// expandHome expands a leading ~ in a path, as the AWS CLI and hashicorp/aws do.
func expandHome(p string) string {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return p
	}
	return filepath.Join(home, strings.TrimPrefix(p, "~"))
}

// clientSetup is everything buildClients derives before it talks to AWS.
type clientSetup struct {
	cfg              aws.Config
	clients          *awsops.Clients
	endpoints        map[string]resolvedEndpoint
	regionSource     string
	credentialSource string
	retry            retrySettings
}

// buildClients turns a provider configuration into configured AWS clients. Apart from the one
// STS GetCallerIdentity call (skipped by skip_credentials_validation plus
// skip_requesting_account_id), it does no network work.
func buildClients(ctx context.Context, pc providerConfig, env buildEnv) (*awsops.Clients, diag.Diagnostics) {
	setup, diags := prepareClients(ctx, pc, env)
	if diags.HasError() {
		return nil, diags
	}
	diags.Append(identifyCaller(ctx, pc, setup)...)
	if diags.HasError() {
		return nil, diags
	}
	diags.Append(checkAccountAllowed(pc, setup.clients.AccountID, setup.credentialSource)...)
	if diags.HasError() {
		return nil, diags
	}

	endpointFields := make(map[string]any, len(setup.endpoints))
	for k, e := range setup.endpoints {
		endpointFields[k] = e.String()
	}
	tflog.Info(ctx, "Configured AWS clients", map[string]any{
		"region":                      setup.clients.Region,
		"region_source":               setup.regionSource,
		"credential_source":           setup.credentialSource,
		"endpoints":                   endpointFields,
		"retry_max_attempts":          setup.retry.MaxAttempts,
		"retry_mode":                  string(setup.retry.Mode),
		"retry_source":                setup.retry.Source,
		"account_id":                  setup.clients.AccountID,
		"partition":                   setup.clients.Partition,
		"skip_credentials_validation": pc.SkipCredentialsValidation,
		"live_pricing":                pc.LivePricing,
	})
	return setup.clients, diags
}

// prepareClients loads the AWS configuration and builds every client. It does no network work.
func prepareClients(ctx context.Context, pc providerConfig, env buildEnv) (*clientSetup, diag.Diagnostics) {
	getenv := env.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	endpoints := resolveEndpoints(pc.Endpoints, getenv)
	diags := checkEndpoints(pc, endpoints)
	if diags.HasError() {
		return nil, diags
	}
	credentialSource := describeCredentialSource(pc, getenv)
	opts := loadOptions(pc, env)
	httpOpts, httpDiags := httpLoadOptions(pc, getenv)
	diags.Append(httpDiags...)
	if diags.HasError() {
		return nil, diags
	}
	opts = append(opts, httpOpts...)

	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		diags.AddError("Failed to load the AWS configuration",
			fmt.Sprintf("Loading the AWS SDK configuration failed.\n\n"+
				"Credential source: %s\n"+
				"Error: %s\n\n"+
				"Check profile, shared_config_files and shared_credentials_files in the provider block "+
				"and the AWS_PROFILE, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE environment variables.",
				credentialSource, err))
		return nil, diags
	}

	// Region: required, and validated unless skip_region_validation.
	regionSource := describeRegionSource(pc, getenv)
	if diags.Append(checkRegion(pc, cfg, regionSource)...); diags.HasError() {
		return nil, diags
	}

	// Retries: the provider block wins over AWS_MAX_ATTEMPTS / AWS_RETRY_MODE / the profile.
	rs := resolveRetry(pc, cfg)
	cfg.Retryer = rs.newRetryer()
	cfg.RetryMaxAttempts = 0
	cfg.RetryMode = ""

	applyRoleCredentials(&cfg, pc, endpoints["sts"].URL)
	cfg.HTTPClient = sdkhttp.InMemoryBodies(cfg.HTTPClient) // see InMemoryBodies: no lost answers under load
	return &clientSetup{
		cfg:              cfg,
		clients:          newClients(cfg, pc, endpoints),
		endpoints:        endpoints,
		regionSource:     regionSource,
		credentialSource: credentialSource,
		retry:            rs,
	}, diags
}

// checkEndpoints reports endpoint URLs that are not absolute URLs, at the provider block's
// attribute when the block sets them, else naming the environment variable.
func checkEndpoints(pc providerConfig, endpoints map[string]resolvedEndpoint) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, s := range endpointServices {
		e := endpoints[s.Key]
		if e.URL == "" {
			continue
		}
		if err := checkEndpointURL(e.URL); err != nil {
			if _, inBlock := pc.Endpoints[s.Key]; inBlock && strings.TrimSpace(pc.Endpoints[s.Key]) != "" {
				diags.AddAttributeError(path.Root("endpoints").AtListIndex(0).AtName(s.Key),
					"Invalid endpoint URL",
					fmt.Sprintf("The %s endpoint %s. Use an absolute URL such as http://localhost:4566.", s.Name, err))
			} else {
				diags.AddError("Invalid endpoint URL",
					fmt.Sprintf("The %s endpoint from the %s: %s. Use an absolute URL such as http://localhost:4566, or unset the variable.", s.Name, e.Source, err))
			}
		}
	}
	return diags
}

// loadOptions are the AWS SDK configuration options the provider block sets (the HTTP client
// ones come from httpLoadOptions).
func loadOptions(pc providerConfig, env buildEnv) []func(*awsconfig.LoadOptions) error {
	opts := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithAPIOptions([]func(*smithymiddleware.Stack) error{
			awsmiddleware.AddUserAgentKeyValue("terraform-provider-elasticache", orDefault(env.ProviderVersion, "dev")),
		}),
	}
	if env.TerraformVersion != "" {
		opts = append(opts, awsconfig.WithAPIOptions([]func(*smithymiddleware.Stack) error{
			awsmiddleware.AddUserAgentKeyValue("Terraform", env.TerraformVersion),
		}))
	}
	if pc.Region != "" {
		opts = append(opts, awsconfig.WithRegion(pc.Region))
	}
	if pc.Profile != "" {
		opts = append(opts, awsconfig.WithSharedConfigProfile(pc.Profile))
	}
	if len(pc.SharedConfigFiles) > 0 {
		files := make([]string, len(pc.SharedConfigFiles))
		for i, f := range pc.SharedConfigFiles {
			files[i] = expandHome(f)
		}
		opts = append(opts, awsconfig.WithSharedConfigFiles(files))
	}
	if len(pc.SharedCredentialsFiles) > 0 {
		files := make([]string, len(pc.SharedCredentialsFiles))
		for i, f := range pc.SharedCredentialsFiles {
			files[i] = expandHome(f)
		}
		opts = append(opts, awsconfig.WithSharedCredentialsFiles(files))
	}
	if pc.AccessKey != "" {
		opts = append(opts, awsconfig.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(pc.AccessKey, pc.SecretKey, pc.Token)))
	}
	if pc.SkipMetadataAPICheck {
		opts = append(opts, awsconfig.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
	return opts
}

// checkRegion requires a region and, unless skip_region_validation, a known one.
func checkRegion(pc providerConfig, cfg aws.Config, regionSource string) diag.Diagnostics {
	var diags diag.Diagnostics
	if cfg.Region == "" {
		diags.AddAttributeError(path.Root("region"), "Missing AWS region",
			"The provider needs an AWS region. Set region in the provider block, or the AWS_REGION "+
				"(or AWS_DEFAULT_REGION) environment variable, or region in the selected shared config profile.")
		return diags
	}
	if !pc.SkipRegionValidation {
		if _, ok := regionPartition(cfg.Region); !ok {
			detail := fmt.Sprintf("region = %q (from the %s) is not a known AWS region.", cfg.Region, regionSource)
			if s, ok := closestRegion(cfg.Region); ok {
				detail += fmt.Sprintf(" Did you mean %q?", s)
			}
			detail += "\n\nKnown regions: " + strings.Join(allKnownRegions(), ", ") + ".\n\n" +
				"If this is a new AWS region or a region of an AWS-compatible endpoint, set " +
				"skip_region_validation = true in the provider block."
			if pc.Region != "" {
				diags.AddAttributeError(path.Root("region"), "Invalid AWS region", detail)
			} else {
				diags.AddError("Invalid AWS region", detail)
			}
			return diags
		}
	}
	return diags
}

// atEndpoint points a service client at its configured endpoint, when there is one (base and
// fips are the client options' fields). FIPS is then off: an exact endpoint names the host.
func atEndpoint(e resolvedEndpoint, base **string, fips *aws.FIPSEndpointState) bool {
	if e.URL == "" {
		return false
	}
	*base = aws.String(e.URL)
	*fips = aws.FIPSEndpointStateUnset
	return true
}

// newClients builds the service clients from the configuration, each on its endpoint.
func newClients(cfg aws.Config, pc providerConfig, endpoints map[string]resolvedEndpoint) *awsops.Clients {
	at := func(key string, base **string, fips *aws.FIPSEndpointState) bool {
		return atEndpoint(endpoints[key], base, fips)
	}
	return &awsops.Clients{
		ElastiCache: elasticache.NewFromConfig(cfg, func(o *elasticache.Options) {
			at("elasticache", &o.BaseEndpoint, &o.EndpointOptions.UseFIPSEndpoint)
		}),
		EC2:        awsops.NewEC2API(ec2.NewFromConfig(cfg, func(o *ec2.Options) { at("ec2", &o.BaseEndpoint, &o.EndpointOptions.UseFIPSEndpoint) })),
		CloudWatch: cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) { at("cloudwatch", &o.BaseEndpoint, &o.EndpointOptions.UseFIPSEndpoint) }),
		Logs:       cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) { at("logs", &o.BaseEndpoint, &o.EndpointOptions.UseFIPSEndpoint) }),
		AutoScaling: applicationautoscaling.NewFromConfig(cfg, func(o *applicationautoscaling.Options) {
			at("appautoscaling", &o.BaseEndpoint, &o.EndpointOptions.UseFIPSEndpoint)
		}),
		STS: sts.NewFromConfig(cfg, func(o *sts.Options) { at("sts", &o.BaseEndpoint, &o.EndpointOptions.UseFIPSEndpoint) }),
		Pricing: pricing.NewFromConfig(cfg, func(o *pricing.Options) {
			if at("pricing", &o.BaseEndpoint, &o.EndpointOptions.UseFIPSEndpoint) {
				return
			}
			// The Pricing API lives in a few regions only; use its home in the partition.
			if partitionForRegion(cfg.Region) == "aws-cn" {
				o.Region = pricingRegionChina
			} else {
				o.Region = pricingRegion
			}
		}),
		Region:      cfg.Region,
		Partition:   partitionForRegion(cfg.Region),
		DefaultTags: pc.DefaultTags,
		IgnoreTags:  pc.IgnoreTags,
		LivePricing: pc.LivePricing,
	}
}

// identifyCaller makes the provider's only Configure-time call, STS GetCallerIdentity: it
// validates the credentials and yields the account ID and partition. Without
// skip_credentials_validation a failure is an error; with it, the call is only made to learn
// the account ID (unless skip_requesting_account_id) and a failure is a warning.
func identifyCaller(ctx context.Context, pc providerConfig, setup *clientSetup) diag.Diagnostics {
	var diags diag.Diagnostics
	if pc.SkipCredentialsValidation && pc.SkipRequestingAccountID {
		return diags
	}

	callCtx, cancel := context.WithTimeout(withCappedAttempts(ctx, validationMaxAttempts), validationTimeout)
	defer cancel()
	started := time.Now()
	out, err := setup.clients.STS.GetCallerIdentity(callCtx, &sts.GetCallerIdentityInput{}, capAttempts(validationMaxAttempts))
	if err != nil {
		summary, detail := describeSTSFailure(ctx, setup, err, time.Since(started))
		if pc.SkipCredentialsValidation {
			diags.AddWarning("Could not determine the AWS account ID",
				detail+"\n\nThe provider continues without an account ID. Set skip_requesting_account_id = true to skip this call.")
			return diags
		}
		diags.AddError(summary, detail)
		return diags
	}

	if !pc.SkipRequestingAccountID {
		setup.clients.AccountID = aws.ToString(out.Account)
		if parsed, perr := arn.Parse(aws.ToString(out.Arn)); perr == nil && parsed.Partition != "" {
			setup.clients.Partition = parsed.Partition
		}
	}
	tflog.Debug(ctx, "Validated AWS credentials with STS GetCallerIdentity", map[string]any{
		"account_id":        aws.ToString(out.Account),
		"caller_arn":        aws.ToString(out.Arn),
		"credential_source": setup.credentialSource,
		"sts_endpoint":      setup.endpoints["sts"].String(),
	})
	return diags
}

// cappedAttemptsKey marks a context whose AWS calls should make at most the given attempts.
type cappedAttemptsKey struct{}

// withCappedAttempts returns ctx marked so that cappedSTS caps its attempts: the
// AssumeRole made to get credentials for the validation call then fails as fast as the
// validation call itself.
func withCappedAttempts(ctx context.Context, attempts int) context.Context {
	return context.WithValue(ctx, cappedAttemptsKey{}, attempts)
}

// cappedSTS is the STS client of the assume-role and web-identity credentials providers.
// Calls made under withCappedAttempts make at most that many attempts; later credential
// refreshes (during resource operations) retry normally.
type cappedSTS struct {
	client *sts.Client
}

func (c cappedSTS) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	return c.client.AssumeRole(ctx, in, cappedOptions(ctx, optFns)...)
}

func (c cappedSTS) AssumeRoleWithWebIdentity(ctx context.Context, in *sts.AssumeRoleWithWebIdentityInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleWithWebIdentityOutput, error) {
	return c.client.AssumeRoleWithWebIdentity(ctx, in, cappedOptions(ctx, optFns)...)
}

// cappedOptions adds the attempt cap of withCappedAttempts to a call's options.
func cappedOptions(ctx context.Context, optFns []func(*sts.Options)) []func(*sts.Options) {
	if n, ok := ctx.Value(cappedAttemptsKey{}).(int); ok && n > 0 {
		return append(optFns, capAttempts(n))
	}
	return optFns
}

// capAttempts is a per-call STS option for the credential check: an endpoint that refuses or
// cannot be resolved gets at most n attempts (nothing will answer more), while throttling and
// server errors are retried as usual, at most validationMaxBackoff apart.
func capAttempts(n int) func(*sts.Options) {
	return func(o *sts.Options) {
		o.Retryer = &unreachableFailsFast{Retryer: retry.AddWithMaxBackoffDelay(o.Retryer, validationMaxBackoff), maxAttempts: n}
	}
}

// unreachableFailsFast stops retrying connection failures after maxAttempts.
type unreachableFailsFast struct {
	aws.Retryer
	maxAttempts int
	failures    atomic.Int32
}

func (r *unreachableFailsFast) IsErrorRetryable(err error) bool {
	var sendErr *smithyhttp.RequestSendError
	if errors.As(err, &sendErr) && int(r.failures.Add(1)) >= r.maxAttempts {
		return false
	}
	return r.Retryer.IsErrorRetryable(err)
}

// describeSTSFailure explains a failed credential validation: what was tried (region, STS
// endpoint and its source, credential source) and what went wrong (the AWS error code, or the
// network error). It never includes secret values.
func describeSTSFailure(ctx context.Context, setup *clientSetup, err error, elapsed time.Duration) (summary, detail string) {
	stsEndpoint := setup.endpoints["sts"]
	endpointText := stsEndpoint.String()
	if stsEndpoint.URL == "" {
		switch {
		case aws.ToString(setup.cfg.BaseEndpoint) != "":
			// The SDK picked up endpoint_url from the shared config profile.
			endpointText = fmt.Sprintf("%s (endpoint_url in the shared config profile, unless its services section sets one for STS)",
				aws.ToString(setup.cfg.BaseEndpoint))
		default:
			if u := defaultSTSEndpoint(ctx, setup.cfg.Region); u != "" {
				endpointText = fmt.Sprintf("%s (%s)", u, endpointSourceDefault)
			}
		}
	}

	operation, service := "GetCallerIdentity", "STS"
	if op := innermostOperationError(err); op != nil {
		operation, service = op.OperationName, op.ServiceID
	}
	noCredentials := strings.Contains(err.Error(), "get credentials") || strings.Contains(err.Error(), "retrieve credentials")

	var b strings.Builder
	fmt.Fprintf(&b, "The provider validates its AWS credentials with STS GetCallerIdentity, and that failed.\n\n")
	fmt.Fprintf(&b, "Region:            %s (from the %s)\n", setup.cfg.Region, setup.regionSource)
	fmt.Fprintf(&b, "STS endpoint:      %s\n", endpointText)
	fmt.Fprintf(&b, "Credential source: %s\n", setup.credentialSource)
	if operation != "GetCallerIdentity" {
		fmt.Fprintf(&b, "Failed call:       %s %s\n", service, operation)
	}

	var apiErr smithy.APIError
	var sendErr *smithyhttp.RequestSendError
	var maxErr *retry.MaxAttemptsError
	switch {
	case errors.As(err, &apiErr) && isThrottle(apiErr.ErrorCode()):
		summary = "AWS throttled the credential check"
		fmt.Fprintf(&b, "AWS error code:    %s\n", apiErr.ErrorCode())
		b.WriteString("\nThe check was retried and stayed throttled; raise max_retries or try again.")
	case errors.As(err, &apiErr):
		summary = "AWS rejected the provider's credentials"
		fmt.Fprintf(&b, "AWS error code:    %s\n", apiErr.ErrorCode())
		if msg := apiErr.ErrorMessage(); msg != "" {
			fmt.Fprintf(&b, "AWS error message: %s\n", msg)
		}
		b.WriteString("\n")
		b.WriteString(apiErrorHint(apiErr.ErrorCode(), operation))
	case errors.As(err, &sendErr) || errors.Is(err, context.DeadlineExceeded):
		summary = "Cannot reach the AWS STS endpoint"
		fmt.Fprintf(&b, "Network error:     %s\n", networkErrorText(err, sendErr))
		if errors.As(err, &maxErr) {
			fmt.Fprintf(&b, "Attempts:          %d in %s\n", maxErr.Attempt, elapsed.Round(time.Millisecond))
		} else {
			fmt.Fprintf(&b, "Time spent:        %s\n", elapsed.Round(time.Millisecond))
		}
		b.WriteString("\nCheck that the endpoint is correct and reachable from this machine (endpoints.sts in the " +
			"provider block, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL), and any proxy settings (HTTPS_PROXY). ")
	case noCredentials:
		summary = "No AWS credentials found"
		fmt.Fprintf(&b, "Error:             %s\n\n", err)
		b.WriteString("Provide credentials: access_key/secret_key or profile in the provider block, the " +
			"AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE environment variables, a default profile in " +
			"~/.aws/credentials, or an instance or container role. ")
	default:
		summary = "Cannot validate the AWS credentials"
		fmt.Fprintf(&b, "Error:             %s\n\n", err)
		b.WriteString("Check the credential source above. ")
	}
	b.WriteString("To skip this check (for example against an emulator without STS), set " +
		"skip_credentials_validation = true in the provider block.")
	return summary, b.String()
}

// apiErrorHint suggests a fix for the common credential errors.
func apiErrorHint(code, operation string) string {
	switch {
	case operation == "AssumeRole" && code == "AccessDenied":
		return "The base credentials may not call sts:AssumeRole on this role, or the role's trust policy " +
			"does not trust them (check external_id too). "
	case code == "InvalidClientTokenId" || code == "UnrecognizedClientException":
		return "The access key ID is not known to AWS in this partition: check the credentials and that the " +
			"region's partition (commercial, GovCloud, China) matches them. "
	case code == "SignatureDoesNotMatch":
		return "The secret access key does not match the access key ID, or the local clock is wrong. "
	case code == "ExpiredToken" || code == "ExpiredTokenException" || code == "RequestExpired":
		return "The session token or SSO session has expired: refresh the credentials. "
	case code == "AccessDenied":
		return "The credentials may not call sts:GetCallerIdentity. "
	default:
		return ""
	}
}

// networkErrorText extracts the network cause (e.g. "dial tcp 127.0.0.1:1: connect:
// connection refused") from a send error, keeping the URL that was tried.
func networkErrorText(err error, sendErr *smithyhttp.RequestSendError) string {
	if sendErr == nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Sprintf("no answer within %s", validationTimeout)
		}
		return err.Error()
	}
	var uerr *url.Error
	if errors.As(sendErr.Err, &uerr) {
		return fmt.Sprintf("%s %s: %s", uerr.Op, uerr.URL, uerr.Err)
	}
	return sendErr.Err.Error()
}

// innermostOperationError returns the deepest *smithy.OperationError in err's chain: for an
// AssumeRole failure during GetCallerIdentity's credential retrieval, that is AssumeRole.
func innermostOperationError(err error) *smithy.OperationError {
	var found *smithy.OperationError
	for err != nil {
		var op *smithy.OperationError
		if !errors.As(err, &op) {
			break
		}
		found = op
		err = op.Err
	}
	return found
}

// defaultSTSEndpoint returns the public STS endpoint the SDK would use for region, for messages.
func defaultSTSEndpoint(ctx context.Context, region string) string {
	ep, err := sts.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, sts.EndpointParameters{Region: aws.String(region)})
	if err != nil {
		return ""
	}
	return ep.URI.String()
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// isThrottle reports whether an AWS error code means "slow down", not "no".
func isThrottle(code string) bool {
	switch code {
	case "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
		"RequestLimitExceeded", "RequestThrottled", "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException":
		return true
	}
	return false
}
