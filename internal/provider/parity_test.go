package provider

import (
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cachestack/terraform-provider-elasticache/internal/tags"
)

func staticBlock(stsURL string, extra map[string]any) map[string]any {
	block := map[string]any{
		"region":     "us-east-1",
		"access_key": testAccessKey,
		"secret_key": testSecretKey,
		"endpoints":  []any{map[string]any{"sts": stsURL}},
	}
	for k, v := range extra {
		block[k] = v
	}
	return block
}

func TestConfigureAccountGuard(t *testing.T) {
	isolateAWSEnv(t)
	cases := []struct {
		name    string
		extra   map[string]any
		wantErr string
	}{
		{"allowed", map[string]any{"allowed_account_ids": []any{testAccountID, "210987654321"}}, ""},
		{"not in allow list", map[string]any{"allowed_account_ids": []any{"210987654321"}},
			"The credentials belong to AWS account 123456789012; allowed_account_ids permits only 210987654321"},
		{"forbidden", map[string]any{"forbidden_account_ids": []any{testAccountID}},
			"The credentials belong to AWS account 123456789012, which forbidden_account_ids lists"},
		{"not forbidden", map[string]any{"forbidden_account_ids": []any{"210987654321"}}, ""},
		{"account unknown", map[string]any{"allowed_account_ids": []any{testAccountID}, "skip_requesting_account_id": true,
			"skip_credentials_validation": true}, "AWS account ID unknown"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stsSrv := newFakeSTS(t, false)
			resp := configure(t, staticBlock(stsSrv.URL, tc.extra))
			if tc.wantErr == "" {
				clientsFrom(t, resp)
				return
			}
			text := diagText(resp.Diagnostics)
			if !resp.Diagnostics.HasError() || !strings.Contains(text, tc.wantErr) {
				t.Fatalf("diagnostics = %s, want an error containing %q", text, tc.wantErr)
			}
			if resp.ResourceData != nil {
				t.Error("a refused account must leave the provider unconfigured")
			}
			for _, c := range stsSrv.Calls() {
				if c.Action != "GetCallerIdentity" {
					t.Errorf("unexpected call %s before the account check", c.Action)
				}
			}
		})
	}
}

func TestConfigureAssumeRoleSessionArguments(t *testing.T) {
	isolateAWSEnv(t)
	stsSrv := newFakeSTS(t, false)
	clientsFrom(t, configure(t, staticBlock(stsSrv.URL, map[string]any{
		"assume_role": []any{map[string]any{
			"role_arn":            testRoleARN,
			"policy":              `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"elasticache:*","Resource":"*"}]}`,
			"policy_arns":         []any{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
			"tags":                map[string]string{"project": "genai", "team": "platform"},
			"transitive_tag_keys": []any{"project"},
			"source_identity":     "ci-pipeline",
		}},
	})))
	calls := stsSrv.Calls()
	if len(calls) != 2 || calls[0].Action != "AssumeRole" {
		t.Fatalf("STS calls = %+v, want AssumeRole then GetCallerIdentity", calls)
	}
	for k, want := range map[string]string{
		"RoleArn":                    testRoleARN,
		"RoleSessionName":            defaultAssumeRoleSessionName,
		"Policy":                     `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"elasticache:*","Resource":"*"}]}`,
		"PolicyArns.member.1.arn":    "arn:aws:iam::aws:policy/ReadOnlyAccess",
		"Tags.member.1.Key":          "project",
		"Tags.member.1.Value":        "genai",
		"Tags.member.2.Key":          "team",
		"TransitiveTagKeys.member.1": "project",
		"SourceIdentity":             "ci-pipeline",
	} {
		if got := calls[0].Form[k]; got != want {
			t.Errorf("AssumeRole %s = %q, want %q", k, got, want)
		}
	}
}

func TestConfigureWebIdentityThenAssumeRole(t *testing.T) {
	isolateAWSEnv(t)
	stsSrv := newFakeSTS(t, false)
	tokenFile := filepath.Join(t.TempDir(), "token")
	writeFile(t, tokenFile, "oidc-token-from-file")
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile)
	t.Setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci")
	// No static credentials: AssumeRoleWithWebIdentity is unsigned, and assume_role chains from it.
	c := clientsFrom(t, configure(t, map[string]any{
		"region":                        "us-east-1",
		"endpoints":                     []any{map[string]any{"sts": stsSrv.URL}},
		"assume_role_with_web_identity": []any{map[string]any{"session_name": "gha-run", "duration": "1h", "policy_arns": []any{"arn:aws:iam::aws:policy/ReadOnlyAccess"}}},
		"assume_role":                   []any{map[string]any{"role_arn": testRoleARN}},
	}))
	if c.AccountID != testAccountID {
		t.Errorf("AccountID = %q", c.AccountID)
	}
	calls := stsSrv.Calls()
	if len(calls) != 3 {
		t.Fatalf("STS calls = %+v, want AssumeRoleWithWebIdentity, AssumeRole, GetCallerIdentity", calls)
	}
	wi := calls[0]
	if wi.Action != "AssumeRoleWithWebIdentity" || wi.AccessKey != "" {
		t.Errorf("first call = %+v, want an unsigned AssumeRoleWithWebIdentity", wi)
	}
	for k, want := range map[string]string{
		"RoleArn": "arn:aws:iam::123456789012:role/ci", "RoleSessionName": "gha-run",
		"WebIdentityToken": "oidc-token-from-file", "DurationSeconds": "3600",
		"PolicyArns.member.1.arn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
	} {
		if wi.Form[k] != want {
			t.Errorf("AssumeRoleWithWebIdentity %s = %q, want %q", k, wi.Form[k], want)
		}
	}
	if calls[1].Action != "AssumeRole" || calls[1].AccessKey != testAssumedAccess {
		t.Errorf("second call = %+v, want AssumeRole signed with the web identity credentials", calls[1])
	}
}

func TestConfigureWebIdentityNeedsToken(t *testing.T) {
	isolateAWSEnv(t)
	resp := configure(t, map[string]any{
		"region":                        "us-east-1",
		"assume_role_with_web_identity": []any{map[string]any{"role_arn": testRoleARN}},
	})
	if text := diagText(resp.Diagnostics); !strings.Contains(text, "Missing web identity token") {
		t.Fatalf("diagnostics = %s", text)
	}
}

func TestConfigureHTTPProxy(t *testing.T) {
	isolateAWSEnv(t)
	t.Setenv("NO_PROXY", "")
	stsSrv := newFakeSTS(t, false)
	target, _ := url.Parse(stsSrv.URL)
	var proxied atomic.Int32
	var proxiedHost atomic.Value
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxied.Add(1)
		proxiedHost.Store(r.Host)
		httputil.NewSingleHostReverseProxy(target).ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)

	// The STS host does not resolve: only the proxy can answer for it.
	clientsFrom(t, configure(t, staticBlock("http://sts.proxied.invalid", map[string]any{"http_proxy": proxy.URL})))
	if proxied.Load() != 1 || proxiedHost.Load() != "sts.proxied.invalid" {
		t.Fatalf("proxy saw %d requests (host %v), want the GetCallerIdentity for sts.proxied.invalid", proxied.Load(), proxiedHost.Load())
	}

	// no_proxy sends the same call direct, where the name does not resolve.
	resp := configure(t, staticBlock("http://sts.proxied.invalid", map[string]any{"http_proxy": proxy.URL, "no_proxy": ".invalid"}))
	if !resp.Diagnostics.HasError() || proxied.Load() != 1 {
		t.Fatalf("no_proxy: proxied=%d diagnostics=%s", proxied.Load(), diagText(resp.Diagnostics))
	}
}

func TestConfigureCustomCABundleAndInsecure(t *testing.T) {
	isolateAWSEnv(t)
	f := &fakeSTS{}
	srv := httptest.NewTLSServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)

	resp := configure(t, staticBlock(srv.URL, nil))
	if text := diagText(resp.Diagnostics); !resp.Diagnostics.HasError() || !strings.Contains(text, "certificate") {
		t.Fatalf("an unknown CA must fail the TLS handshake; diagnostics = %s", text)
	}

	bundle := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(bundle, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	clientsFrom(t, configure(t, staticBlock(srv.URL, map[string]any{"custom_ca_bundle": bundle})))
	clientsFrom(t, configure(t, staticBlock(srv.URL, map[string]any{"insecure": true})))

	resp = configure(t, staticBlock(srv.URL, map[string]any{"custom_ca_bundle": filepath.Join(t.TempDir(), "missing.pem")}))
	if text := diagText(resp.Diagnostics); !strings.Contains(text, "Cannot read custom_ca_bundle") {
		t.Fatalf("diagnostics = %s", text)
	}
}

func TestConfigureFIPSEndpoints(t *testing.T) {
	isolateAWSEnv(t)
	c := clientsFrom(t, configure(t, map[string]any{
		"region": "us-east-1", "access_key": testAccessKey, "secret_key": testSecretKey,
		"skip_credentials_validation": true, "skip_requesting_account_id": true, "use_fips_endpoint": true,
	}))
	if got := c.ElastiCache.Options().EndpointOptions.UseFIPSEndpoint; got != aws.FIPSEndpointStateEnabled {
		t.Errorf("ElastiCache UseFIPSEndpoint = %v, want enabled", got)
	}
	if got := c.CloudWatch.Options().EndpointOptions.UseFIPSEndpoint; got != aws.FIPSEndpointStateEnabled {
		t.Errorf("CloudWatch UseFIPSEndpoint = %v, want enabled", got)
	}

	// A custom endpoint wins for its service: the SDK refuses FIPS together with one.
	stsSrv := newFakeSTS(t, false)
	c = clientsFrom(t, configure(t, staticBlock(stsSrv.URL, map[string]any{"use_fips_endpoint": true})))
	if got := c.STS.Options().EndpointOptions.UseFIPSEndpoint; got == aws.FIPSEndpointStateEnabled {
		t.Error("STS has a custom endpoint and must not use FIPS")
	}
	if got := c.ElastiCache.Options().EndpointOptions.UseFIPSEndpoint; got != aws.FIPSEndpointStateEnabled {
		t.Errorf("ElastiCache (no custom endpoint) UseFIPSEndpoint = %v, want enabled", got)
	}
}

func TestConfigureIgnoreTags(t *testing.T) {
	isolateAWSEnv(t)
	stsSrv := newFakeSTS(t, false)
	c := clientsFrom(t, configure(t, staticBlock(stsSrv.URL, map[string]any{
		"ignore_tags": []any{map[string]any{"keys": []any{"CostCenter"}, "key_prefixes": []any{"org:"}}},
	})))
	want := tags.IgnoreConfig{Keys: []string{"CostCenter"}, KeyPrefixes: []string{"org:"}}
	if !c.IgnoreTags.Ignored("CostCenter") || !c.IgnoreTags.Ignored("org:owner") || c.IgnoreTags.Ignored("team") {
		t.Fatalf("IgnoreTags = %+v, want %+v", c.IgnoreTags, want)
	}
}
