package provider

import (
	"context"
	"fmt"
	"maps"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
)

const (
	testAccountID = "123456789012"
	testAccessKey = "AKIAFAKEACCESSKEY01"
	// testSecretKey must never appear in any diagnostic or log.
	testSecretKey      = "fakeSecretKeyThatMustNeverBePrinted0123"
	testAssumedAccess  = "ASIAFAKEASSUMEDKEY01"
	testAssumedSecret  = "assumedSecretThatMustNeverBePrinted0123"
	testRoleARN        = "arn:aws:iam::123456789012:role/cache-admin"
	testAssumedRoleARN = "arn:aws:sts::123456789012:assumed-role/cache-admin/tf-test"
)

// awsEnvVars are the environment variables that could leak the developer's AWS setup into a
// test. isolateAWSEnv blanks them all.
var awsEnvVars = []string{
	"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
	"AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_WEB_IDENTITY_TOKEN_FILE",
	"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
	"AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE",
	"AWS_ENDPOINT_URL", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
	"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy",
}

// isolateAWSEnv blanks the AWS environment for the test, points the shared config and
// credentials files at files that do not exist, and disables IMDS, so the test only sees what
// it configures.
func isolateAWSEnv(t *testing.T) {
	t.Helper()
	for _, k := range awsEnvVars {
		t.Setenv(k, "")
	}
	for _, s := range endpointServices {
		t.Setenv(serviceEndpointEnvVar(s.Key), "")
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("NO_PROXY", "*")
}

// unknown marks a value as unknown in configValue.
type unknownValue struct{}

var unknown = unknownValue{}

// toTFValue converts a plain Go value into a tftypes.Value of type typ. nil is null; unknown is
// unknown; objects are map[string]any, lists []any, string maps map[string]string.
func toTFValue(t *testing.T, typ tftypes.Type, v any) tftypes.Value {
	t.Helper()
	if v == nil {
		return tftypes.NewValue(typ, nil)
	}
	if _, ok := v.(unknownValue); ok {
		return tftypes.NewValue(typ, tftypes.UnknownValue)
	}
	switch typ := typ.(type) {
	case tftypes.Object:
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("object value must be map[string]any, got %T", v)
		}
		for k := range m {
			if _, ok := typ.AttributeTypes[k]; !ok {
				t.Fatalf("unknown attribute %q", k)
			}
		}
		vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
		for name, at := range typ.AttributeTypes {
			vals[name] = toTFValue(t, at, m[name])
		}
		return tftypes.NewValue(typ, vals)
	case tftypes.List:
		return tftypes.NewValue(typ, toTFElements(t, typ.ElementType, v))
	case tftypes.Set:
		return tftypes.NewValue(typ, toTFElements(t, typ.ElementType, v))
	case tftypes.Map:
		m, ok := v.(map[string]string)
		if !ok {
			t.Fatalf("map value must be map[string]string, got %T", v)
		}
		vals := make(map[string]tftypes.Value, len(m))
		for k, s := range m {
			vals[k] = tftypes.NewValue(typ.ElementType, s)
		}
		return tftypes.NewValue(typ, vals)
	}
	switch {
	case typ.Is(tftypes.Number):
		n, ok := v.(int)
		if !ok {
			t.Fatalf("number value must be int, got %T", v)
		}
		return tftypes.NewValue(typ, big.NewFloat(float64(n)))
	default:
		return tftypes.NewValue(typ, v)
	}
}

// testProvider returns the provider with its schema.
func testProvider(t *testing.T) (*ElastiCacheProvider, provider.SchemaResponse) {
	t.Helper()
	p := &ElastiCacheProvider{version: "test"}
	var resp provider.SchemaResponse
	p.Schema(context.Background(), provider.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	return p, resp
}

// configure runs the provider's Configure on a provider block given as plain values.
func configure(t *testing.T, block map[string]any) provider.ConfigureResponse {
	t.Helper()
	p, sr := testProvider(t)
	typ := sr.Schema.Type().TerraformType(context.Background())
	cfg := tfsdk.Config{Raw: toTFValue(t, typ, block), Schema: sr.Schema}
	var resp provider.ConfigureResponse
	p.Configure(context.Background(), provider.ConfigureRequest{Config: cfg, TerraformVersion: "1.11.4"}, &resp)
	return resp
}

// clientsFrom returns the configured clients, failing the test on error diagnostics.
func clientsFrom(t *testing.T, resp provider.ConfigureResponse) *awsops.Clients {
	t.Helper()
	if resp.Diagnostics.HasError() {
		t.Fatalf("Configure failed:\n%s", diagText(resp.Diagnostics))
	}
	c, ok := resp.ResourceData.(*awsops.Clients)
	if !ok || c == nil {
		t.Fatalf("ResourceData is %T, want *awsops.Clients", resp.ResourceData)
	}
	if dc, ok := resp.DataSourceData.(*awsops.Clients); !ok || dc != c {
		t.Fatalf("DataSourceData is %T, want the same *awsops.Clients", resp.DataSourceData)
	}
	return c
}

// diagText renders diagnostics for assertions and failure messages.
func diagText(diags diag.Diagnostics) string {
	var s string
	for _, d := range diags {
		s += fmt.Sprintf("[%s] %s: %s\n", d.Severity(), d.Summary(), d.Detail())
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			s += fmt.Sprintf("  path: %s\n", wp.Path())
		}
	}
	return s
}

// fakeSTS is an httptest STS that speaks the awsQuery protocol for GetCallerIdentity and
// AssumeRole, and records which access key signed each call.
type fakeSTS struct {
	*httptest.Server
	// reject answers every call with 403 InvalidClientTokenId.
	reject bool

	mu    sync.Mutex
	calls []stsCall
}

type stsCall struct {
	Action    string
	AccessKey string
	Form      map[string]string
}

var credentialRe = regexp.MustCompile(`Credential=([A-Z0-9]+)/`)

func newFakeSTS(t *testing.T, reject bool) *fakeSTS {
	t.Helper()
	f := &fakeSTS{reject: reject}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeSTS) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	call := stsCall{Action: r.PostForm.Get("Action"), Form: map[string]string{}}
	for k := range r.PostForm {
		call.Form[k] = r.PostForm.Get(k)
	}
	if m := credentialRe.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		call.AccessKey = m[1]
	}
	f.mu.Lock()
	f.calls = append(f.calls, call)
	f.mu.Unlock()

	w.Header().Set("Content-Type", "text/xml")
	if f.reject {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>InvalidClientTokenId</Code>
    <Message>The security token included in the request is invalid.</Message>
  </Error>
  <RequestId>4b1c2b51-0000-0000-0000-000000000000</RequestId>
</ErrorResponse>`)
		return
	}
	switch call.Action {
	case "GetCallerIdentity":
		callerARN := "arn:aws:iam::" + testAccountID + ":user/tf-test"
		if call.AccessKey == testAssumedAccess {
			callerARN = testAssumedRoleARN
		}
		fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>%s</Arn>
    <UserId>AIDAFAKEUSERID</UserId>
    <Account>%s</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`, callerARN, testAccountID)
	case "AssumeRole", "AssumeRoleWithWebIdentity":
		// Both answer with the same credentials, in an element named after the action.
		fmt.Fprintf(w, `<%[1]sResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <%[1]sResult>
    <Credentials>
      <AccessKeyId>%[2]s</AccessKeyId>
      <SecretAccessKey>%[3]s</SecretAccessKey>
      <SessionToken>FAKESESSIONTOKEN</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <Arn>%[4]s</Arn>
      <AssumedRoleId>AROAFAKEROLEID:tf-test</AssumedRoleId>
    </AssumedRoleUser>
  </%[1]sResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</%[1]sResponse>`, call.Action, testAssumedAccess, testAssumedSecret, testAssumedRoleARN)
	default:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>unsupported %s</Message></Error></ErrorResponse>`, call.Action)
	}
}

func (f *fakeSTS) Calls() []stsCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]stsCall(nil), f.calls...)
}

// closedPortURL returns an http URL on loopback where nothing listens.
func closedPortURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

// tfsdkConfig builds a tfsdk.Config from plain values.
func tfsdkConfig(t *testing.T, sr provider.SchemaResponse, typ tftypes.Type, block map[string]any) tfsdk.Config {
	t.Helper()
	return tfsdk.Config{Raw: toTFValue(t, typ, block), Schema: sr.Schema}
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// toTFElements converts the []any of a list or set value, element by element.
func toTFElements(t *testing.T, elem tftypes.Type, v any) []tftypes.Value {
	t.Helper()
	items, ok := v.([]any)
	if !ok {
		t.Fatalf("list or set value must be []any, got %T", v)
	}
	vals := make([]tftypes.Value, len(items))
	for i, it := range items {
		vals[i] = toTFValue(t, elem, it)
	}
	return vals
}

// staticConfig is a provider configuration with the test's static keys in region and STS at
// stsURL, plus more (which wins).
func staticConfig(region, stsURL string, more map[string]any) map[string]any {
	cfg := map[string]any{
		"region": region, "access_key": testAccessKey, "secret_key": testSecretKey,
		"endpoints": []any{map[string]any{"sts": stsURL}},
	}
	maps.Copy(cfg, more)
	return cfg
}
