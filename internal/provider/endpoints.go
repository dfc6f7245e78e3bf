package provider

import (
	"fmt"
	"net/url"
	"strings"
)

// endpointService describes one AWS service the provider talks to and the settings that can
// point it somewhere else than the public AWS endpoint.
type endpointService struct {
	// Key is the attribute name inside the provider's endpoints block.
	Key string
	// EnvSuffix completes AWS_ENDPOINT_URL_<EnvSuffix>: the SDK's service ID, upper-cased, with
	// spaces turned into underscores (as the AWS SDKs and CLI define it).
	EnvSuffix string
	// Name is the service's display name, used in documentation and messages.
	Name string
}

// endpointServices lists every service whose endpoint the provider block accepts, in a stable
// order: those the provider builds a client for, and sns and secretsmanager, which a
// hashicorp/aws provider block carries and which are accepted so that such a block carries over.
var endpointServices = []endpointService{
	{Key: "elasticache", EnvSuffix: "ELASTICACHE", Name: "ElastiCache"},
	{Key: "ec2", EnvSuffix: "EC2", Name: "EC2"},
	{Key: "cloudwatch", EnvSuffix: "CLOUDWATCH", Name: "CloudWatch"},
	{Key: "logs", EnvSuffix: "CLOUDWATCH_LOGS", Name: "CloudWatch Logs"},
	{Key: "sts", EnvSuffix: "STS", Name: "STS"},
	{Key: "sns", EnvSuffix: "SNS", Name: "SNS"},
	{Key: "secretsmanager", EnvSuffix: "SECRETS_MANAGER", Name: "Secrets Manager"},
	{Key: "pricing", EnvSuffix: "PRICING", Name: "Pricing"},
	{Key: "appautoscaling", EnvSuffix: "APPLICATION_AUTO_SCALING", Name: "Application Auto Scaling"},
}

const (
	// envEndpointURL is the global endpoint override honoured by every AWS SDK.
	envEndpointURL = "AWS_ENDPOINT_URL"
	// envEndpointURLPrefix prefixes the per-service endpoint overrides.
	envEndpointURLPrefix = "AWS_ENDPOINT_URL_"
	// envIgnoreConfiguredEndpointURLs makes the SDKs ignore endpoint URLs set in the environment
	// or shared config; the provider follows it for the environment variables.
	envIgnoreConfiguredEndpointURLs = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"

	// endpointSourceDefault is the source reported when nothing overrides the endpoint: the SDK
	// then resolves it (shared config endpoint_url, or the public AWS endpoint for the region).
	endpointSourceDefault = "SDK default"
)

// serviceByKey returns the endpointService for an endpoints-block key.
func serviceByKey(key string) (endpointService, bool) {
	for _, s := range endpointServices {
		if s.Key == key {
			return s, true
		}
	}
	return endpointService{}, false
}

// serviceEndpointEnvVar returns the AWS_ENDPOINT_URL_<SERVICE> variable for an endpoints-block
// key, e.g. "secretsmanager" -> "AWS_ENDPOINT_URL_SECRETS_MANAGER".
func serviceEndpointEnvVar(key string) string {
	if s, ok := serviceByKey(key); ok {
		return envEndpointURLPrefix + s.EnvSuffix
	}
	return envEndpointURLPrefix + strings.ToUpper(key)
}

// resolveEndpoint picks the endpoint URL for one service. Precedence, highest first:
//
//  1. the provider block's endpoints { <service> = "..." };
//  2. AWS_ENDPOINT_URL_<SERVICE>;
//  3. AWS_ENDPOINT_URL;
//  4. the SDK default (returned as "", endpointSourceDefault).
//
// Steps 2 and 3 are skipped when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is "true", as the SDKs do.
// Blank values count as unset. source is a human-readable description of where the URL came
// from, for logs and error messages. The function is pure: the environment comes from getenv.
func resolveEndpoint(service string, block map[string]string, getenv func(string) string) (endpoint string, source string) {
	if v := strings.TrimSpace(block[service]); v != "" {
		return v, fmt.Sprintf("endpoints.%s in the provider block", service)
	}
	if getenv == nil {
		return "", endpointSourceDefault
	}
	if strings.EqualFold(strings.TrimSpace(getenv(envIgnoreConfiguredEndpointURLs)), "true") {
		return "", endpointSourceDefault
	}
	envVar := serviceEndpointEnvVar(service)
	if v := strings.TrimSpace(getenv(envVar)); v != "" {
		return v, envVar + " environment variable"
	}
	if v := strings.TrimSpace(getenv(envEndpointURL)); v != "" {
		return v, envEndpointURL + " environment variable"
	}
	return "", endpointSourceDefault
}

// resolvedEndpoint is the outcome of resolveEndpoint for one service.
type resolvedEndpoint struct {
	URL    string
	Source string
}

// String renders the endpoint for logs and messages.
func (e resolvedEndpoint) String() string {
	if e.URL == "" {
		return e.Source
	}
	return fmt.Sprintf("%s (from %s)", e.URL, e.Source)
}

// resolveEndpoints resolves every service in endpointServices.
func resolveEndpoints(block map[string]string, getenv func(string) string) map[string]resolvedEndpoint {
	out := make(map[string]resolvedEndpoint, len(endpointServices))
	for _, s := range endpointServices {
		u, src := resolveEndpoint(s.Key, block, getenv)
		out[s.Key] = resolvedEndpoint{URL: u, Source: src}
	}
	return out
}

// checkEndpointURL reports why value is not a usable endpoint URL, or nil when it is. An
// endpoint must be an absolute http or https URL with a host, e.g. http://localhost:4566.
func checkEndpointURL(value string) error {
	u, err := url.Parse(value)
	if err != nil {
		return fmt.Errorf("%q is not a valid URL: %w", value, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q must start with http:// or https://", value)
	}
	if u.Host == "" {
		return fmt.Errorf("%q has no host", value)
	}
	return nil
}
