package provider

import (
	"strings"
	"testing"
)

func envFunc(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestServiceEndpointEnvVar(t *testing.T) {
	want := map[string]string{
		"elasticache":    "AWS_ENDPOINT_URL_ELASTICACHE",
		"ec2":            "AWS_ENDPOINT_URL_EC2",
		"cloudwatch":     "AWS_ENDPOINT_URL_CLOUDWATCH",
		"logs":           "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
		"sts":            "AWS_ENDPOINT_URL_STS",
		"sns":            "AWS_ENDPOINT_URL_SNS",
		"secretsmanager": "AWS_ENDPOINT_URL_SECRETS_MANAGER",
		"pricing":        "AWS_ENDPOINT_URL_PRICING",
		"appautoscaling": "AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING",
	}
	if len(endpointServices) != len(want) {
		t.Fatalf("endpointServices has %d services, want %d", len(endpointServices), len(want))
	}
	for _, s := range endpointServices {
		if got := serviceEndpointEnvVar(s.Key); got != want[s.Key] {
			t.Errorf("serviceEndpointEnvVar(%q) = %q, want %q", s.Key, got, want[s.Key])
		}
	}
}

// TestResolveEndpointPrecedence checks, for every service: endpoints block > service env >
// global env > SDK default.
func TestResolveEndpointPrecedence(t *testing.T) {
	const (
		blockURL  = "http://block.example:1"
		svcURL    = "http://service-env.example:2"
		globalURL = "http://global-env.example:3"
	)
	for _, s := range endpointServices {
		svcEnv := serviceEndpointEnvVar(s.Key)
		cases := []struct {
			name       string
			block      map[string]string
			env        map[string]string
			wantURL    string
			wantSource string
		}{
			{
				name:       "block beats both env vars",
				block:      map[string]string{s.Key: blockURL},
				env:        map[string]string{svcEnv: svcURL, envEndpointURL: globalURL},
				wantURL:    blockURL,
				wantSource: "endpoints." + s.Key + " in the provider block",
			},
			{
				name:       "service env beats global env",
				env:        map[string]string{svcEnv: svcURL, envEndpointURL: globalURL},
				wantURL:    svcURL,
				wantSource: svcEnv + " environment variable",
			},
			{
				name:       "global env",
				env:        map[string]string{envEndpointURL: globalURL},
				wantURL:    globalURL,
				wantSource: "AWS_ENDPOINT_URL environment variable",
			},
			{
				name:       "default",
				wantURL:    "",
				wantSource: endpointSourceDefault,
			},
			{
				name:       "other service's block entry does not apply",
				block:      map[string]string{"not-" + s.Key: blockURL},
				env:        map[string]string{envEndpointURL: globalURL},
				wantURL:    globalURL,
				wantSource: "AWS_ENDPOINT_URL environment variable",
			},
			{
				name:       "blank values count as unset",
				block:      map[string]string{s.Key: "  "},
				env:        map[string]string{svcEnv: "", envEndpointURL: globalURL},
				wantURL:    globalURL,
				wantSource: "AWS_ENDPOINT_URL environment variable",
			},
			{
				name:       "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ignores env but not the block",
				block:      map[string]string{s.Key: blockURL},
				env:        map[string]string{svcEnv: svcURL, envIgnoreConfiguredEndpointURLs: "true"},
				wantURL:    blockURL,
				wantSource: "endpoints." + s.Key + " in the provider block",
			},
			{
				name:       "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS falls back to default",
				env:        map[string]string{svcEnv: svcURL, envEndpointURL: globalURL, envIgnoreConfiguredEndpointURLs: "TRUE"},
				wantURL:    "",
				wantSource: endpointSourceDefault,
			},
		}
		for _, tc := range cases {
			t.Run(s.Key+"/"+tc.name, func(t *testing.T) {
				gotURL, gotSource := resolveEndpoint(s.Key, tc.block, envFunc(tc.env))
				if gotURL != tc.wantURL || gotSource != tc.wantSource {
					t.Errorf("resolveEndpoint(%q) = (%q, %q), want (%q, %q)", s.Key, gotURL, gotSource, tc.wantURL, tc.wantSource)
				}
			})
		}
	}
}

func TestResolveEndpointNilInputs(t *testing.T) {
	u, src := resolveEndpoint("sts", nil, nil)
	if u != "" || src != endpointSourceDefault {
		t.Fatalf("got (%q, %q)", u, src)
	}
}

func TestResolveEndpointsCoversEveryService(t *testing.T) {
	got := resolveEndpoints(map[string]string{"sts": "http://a:1"}, envFunc(map[string]string{
		"AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://b:2",
		"AWS_ENDPOINT_URL":                 "http://c:3",
	}))
	for _, s := range endpointServices {
		if _, ok := got[s.Key]; !ok {
			t.Errorf("missing %s", s.Key)
		}
	}
	if got["sts"].URL != "http://a:1" || got["secretsmanager"].URL != "http://b:2" || got["elasticache"].URL != "http://c:3" {
		t.Errorf("unexpected resolution: %+v", got)
	}
	if s := got["sts"].String(); !strings.Contains(s, "http://a:1") || !strings.Contains(s, "provider block") {
		t.Errorf("String() = %q", s)
	}
}

func TestCheckEndpointURL(t *testing.T) {
	for _, ok := range []string{"http://localhost:4566", "https://elasticache.eu-west-1.amazonaws.com", "http://127.0.0.1:5000/"} {
		if err := checkEndpointURL(ok); err != nil {
			t.Errorf("checkEndpointURL(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"localhost:4566", "ftp://host", "http://", "not a url", "://x", ""} {
		if err := checkEndpointURL(bad); err == nil {
			t.Errorf("checkEndpointURL(%q) = nil, want error", bad)
		}
	}
}
