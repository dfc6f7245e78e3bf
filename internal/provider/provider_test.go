package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

func TestProviderSchemaValidates(t *testing.T) {
	_, resp := testProvider(t)
	if diags := resp.Schema.ValidateImplementation(context.Background()); diags.HasError() {
		t.Fatalf("schema does not validate:\n%s", diagText(diags))
	}
	// Every attribute carries a description: docs are generated from them.
	for name, a := range resp.Schema.Attributes {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("attribute %q has no MarkdownDescription", name)
		}
	}
	for name, b := range resp.Schema.Blocks {
		if b.GetMarkdownDescription() == "" {
			t.Errorf("block %q has no MarkdownDescription", name)
		}
		for an, a := range b.GetNestedObject().GetAttributes() {
			if a.GetMarkdownDescription() == "" {
				t.Errorf("attribute %s.%s has no MarkdownDescription", name, an)
			}
		}
	}
	for _, secret := range []string{"access_key", "secret_key", "token"} {
		if !resp.Schema.Attributes[secret].IsSensitive() {
			t.Errorf("%s must be sensitive", secret)
		}
	}
}

func TestProviderMetadata(t *testing.T) {
	p := New("1.2.3")()
	var resp provider.MetadataResponse
	p.Metadata(context.Background(), provider.MetadataRequest{}, &resp)
	if resp.TypeName != "elasticache" || resp.Version != "1.2.3" {
		t.Fatalf("metadata = %+v", resp)
	}
}

func TestConfigureSuccessSetsAccountAndPartition(t *testing.T) {
	isolateAWSEnv(t)
	stsSrv := newFakeSTS(t, false)

	resp := configure(t, map[string]any{
		"region":     "eu-west-1",
		"access_key": testAccessKey,
		"secret_key": testSecretKey,
		"endpoints": []any{map[string]any{
			"sts":         stsSrv.URL,
			"elasticache": "http://127.0.0.1:4566",
		}},
		"default_tags": []any{map[string]any{"tags": map[string]string{"team": "platform"}}},
		"live_pricing": true,
		"max_retries":  4,
		"retry_mode":   "adaptive",
	})
	c := clientsFrom(t, resp)

	if c.AccountID != testAccountID {
		t.Errorf("AccountID = %q, want %q", c.AccountID, testAccountID)
	}
	if c.Partition != "aws" {
		t.Errorf("Partition = %q, want aws", c.Partition)
	}
	if c.Region != "eu-west-1" {
		t.Errorf("Region = %q", c.Region)
	}
	if !c.LivePricing {
		t.Error("LivePricing not set")
	}
	if c.DefaultTags["team"] != "platform" || len(c.DefaultTags) != 1 {
		t.Errorf("DefaultTags = %v", c.DefaultTags)
	}
	for name, ok := range map[string]bool{
		"ElastiCache": c.ElastiCache != nil, "EC2": c.EC2 != nil, "CloudWatch": c.CloudWatch != nil,
		"Logs": c.Logs != nil, "Pricing": c.Pricing != nil, "STS": c.STS != nil,
	} {
		if !ok {
			t.Errorf("client %s is nil", name)
		}
	}
	if got := aws.ToString(c.ElastiCache.Options().BaseEndpoint); got != "http://127.0.0.1:4566" {
		t.Errorf("ElastiCache BaseEndpoint = %q", got)
	}
	if got := aws.ToString(c.STS.Options().BaseEndpoint); got != stsSrv.URL {
		t.Errorf("STS BaseEndpoint = %q", got)
	}
	if c.EC2.Options().BaseEndpoint != nil {
		t.Errorf("EC2 BaseEndpoint = %q, want SDK default", aws.ToString(c.EC2.Options().BaseEndpoint))
	}
	if got := c.Pricing.Options().Region; got != "us-east-1" {
		t.Errorf("Pricing region = %q, want us-east-1", got)
	}
	if got := c.ElastiCache.Options().Retryer.MaxAttempts(); got != 5 {
		t.Errorf("retryer max attempts = %d, want 5 (max_retries 4 + 1)", got)
	}

	calls := stsSrv.Calls()
	if len(calls) != 1 || calls[0].Action != "GetCallerIdentity" || calls[0].AccessKey != testAccessKey {
		t.Errorf("STS calls = %+v, want one GetCallerIdentity signed by %s", calls, testAccessKey)
	}
}

func TestConfigureChinaPartitionFromARN(t *testing.T) {
	isolateAWSEnv(t)
	stsSrv := newFakeSTS(t, false)
	// The fake answers with an aws ARN; the partition must come from the ARN, not the region.
	c := clientsFrom(t, configure(t, staticConfig("cn-north-1", stsSrv.URL, nil)))
	if c.Partition != "aws" {
		t.Errorf("Partition = %q, want aws from the caller ARN", c.Partition)
	}
	if got := c.Pricing.Options().Region; got != "cn-northwest-1" {
		t.Errorf("Pricing region = %q, want cn-northwest-1 for a China region", got)
	}
}

func TestConfigureAssumeRole(t *testing.T) {
	isolateAWSEnv(t)
	stsSrv := newFakeSTS(t, false)

	c := clientsFrom(t, configure(t, map[string]any{
		"region":     "us-east-1",
		"access_key": testAccessKey,
		"secret_key": testSecretKey,
		"assume_role": []any{map[string]any{
			"role_arn":     testRoleARN,
			"session_name": "tf-test",
			"external_id":  "ext-123",
			"duration":     "1h",
		}},
		"endpoints": []any{map[string]any{"sts": stsSrv.URL}},
	}))
	if c.AccountID != testAccountID {
		t.Errorf("AccountID = %q", c.AccountID)
	}

	calls := stsSrv.Calls()
	if len(calls) != 2 {
		t.Fatalf("STS calls = %+v, want AssumeRole then GetCallerIdentity", calls)
	}
	ar, gci := calls[0], calls[1]
	if ar.Action != "AssumeRole" || ar.AccessKey != testAccessKey {
		t.Errorf("first call = %+v, want AssumeRole signed with the base credentials", ar)
	}
	for k, want := range map[string]string{
		"RoleArn": testRoleARN, "RoleSessionName": "tf-test", "ExternalId": "ext-123", "DurationSeconds": "3600",
	} {
		if ar.Form[k] != want {
			t.Errorf("AssumeRole %s = %q, want %q", k, ar.Form[k], want)
		}
	}
	if gci.Action != "GetCallerIdentity" || gci.AccessKey != testAssumedAccess {
		t.Errorf("second call = %+v, want GetCallerIdentity signed with the assumed credentials", gci)
	}
}

func TestConfigureRejectedCredentials(t *testing.T) {
	isolateAWSEnv(t)
	stsSrv := newFakeSTS(t, true)

	resp := configure(t, staticConfig("us-west-2", stsSrv.URL, nil))
	if !resp.Diagnostics.HasError() {
		t.Fatal("Configure succeeded with rejected credentials")
	}
	if resp.ResourceData != nil {
		t.Error("ResourceData set despite the error")
	}
	text := diagText(resp.Diagnostics)
	for _, want := range []string{
		"InvalidClientTokenId",
		"static access_key/secret_key from the provider block",
		"us-west-2",
		stsSrv.URL,
		"endpoints.sts in the provider block",
		"skip_credentials_validation",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("diagnostic does not mention %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, testSecretKey) {
		t.Errorf("diagnostic leaks the secret key:\n%s", text)
	}
	// A 403 is not retried.
	if n := len(stsSrv.Calls()); n != 1 {
		t.Errorf("STS was called %d times, want 1", n)
	}
}

func TestConfigureRejectedCredentialsFromEnvironment(t *testing.T) {
	isolateAWSEnv(t)
	stsSrv := newFakeSTS(t, true)
	t.Setenv("AWS_ACCESS_KEY_ID", testAccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", testSecretKey)
	t.Setenv("AWS_REGION", "eu-central-1")
	t.Setenv("AWS_ENDPOINT_URL_STS", stsSrv.URL)

	resp := configure(t, map[string]any{})
	text := diagText(resp.Diagnostics)
	for _, want := range []string{"InvalidClientTokenId", "AWS_ACCESS_KEY_ID", "AWS_ENDPOINT_URL_STS environment variable", "eu-central-1", "AWS_REGION"} {
		if !strings.Contains(text, want) {
			t.Errorf("diagnostic does not mention %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, testSecretKey) {
		t.Errorf("diagnostic leaks the secret key:\n%s", text)
	}
}

func TestConfigureUnreachableEndpointFailsFast(t *testing.T) {
	for _, tc := range []struct {
		name       string
		assumeRole bool
		wantCall   string
	}{
		{name: "GetCallerIdentity"},
		{name: "AssumeRole", assumeRole: true, wantCall: "STS AssumeRole"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isolateAWSEnv(t)
			dead := closedPortURL(t)
			block := map[string]any{
				"region":      "us-east-1",
				"access_key":  testAccessKey,
				"secret_key":  testSecretKey,
				"max_retries": 25,
				"endpoints":   []any{map[string]any{"sts": dead}},
			}
			if tc.assumeRole {
				block["assume_role"] = []any{map[string]any{"role_arn": testRoleARN}}
			}

			start := time.Now()
			resp := configure(t, block)
			elapsed := time.Since(start)

			if !resp.Diagnostics.HasError() {
				t.Fatal("Configure succeeded against a closed port")
			}
			if elapsed > 5*time.Second {
				t.Errorf("Configure took %s against a closed port, want under 5s", elapsed)
			}
			text := diagText(resp.Diagnostics)
			for _, want := range []string{dead, "Cannot reach the AWS STS endpoint", "connection refused", "endpoints.sts in the provider block", tc.wantCall} {
				if !strings.Contains(text, want) {
					t.Errorf("diagnostic does not mention %q:\n%s", want, text)
				}
			}
			if strings.Contains(text, testSecretKey) {
				t.Errorf("diagnostic leaks the secret key:\n%s", text)
			}
		})
	}
}

func TestConfigureNoCredentials(t *testing.T) {
	isolateAWSEnv(t)
	resp := configure(t, map[string]any{"region": "us-east-1", "skip_metadata_api_check": true})
	text := diagText(resp.Diagnostics)
	for _, want := range []string{"No AWS credentials found", "default credential chain", "https://sts.us-east-1.amazonaws.com"} {
		if !strings.Contains(text, want) {
			t.Errorf("diagnostic does not mention %q:\n%s", want, text)
		}
	}
}

func TestConfigureUnknownRegion(t *testing.T) {
	isolateAWSEnv(t)
	resp := configure(t, map[string]any{
		"region":     "eu-wset-1",
		"access_key": testAccessKey,
		"secret_key": testSecretKey,
	})
	if !resp.Diagnostics.HasError() {
		t.Fatal("Configure accepted an unknown region")
	}
	text := diagText(resp.Diagnostics)
	for _, want := range []string{`region = "eu-wset-1"`, "path: region", `Did you mean "eu-west-1"?`, "skip_region_validation"} {
		if !strings.Contains(text, want) {
			t.Errorf("diagnostic does not mention %q:\n%s", want, text)
		}
	}
}

func TestConfigureUnknownRegionSkipped(t *testing.T) {
	isolateAWSEnv(t)
	c := clientsFrom(t, configure(t, map[string]any{
		"region":                      "moon-base-1",
		"access_key":                  testAccessKey,
		"secret_key":                  testSecretKey,
		"skip_region_validation":      true,
		"skip_credentials_validation": true,
		"skip_requesting_account_id":  true,
	}))
	if c.Region != "moon-base-1" || c.Partition != "aws" || c.AccountID != "" {
		t.Errorf("clients = region %q partition %q account %q", c.Region, c.Partition, c.AccountID)
	}
}

func TestConfigureMissingRegion(t *testing.T) {
	isolateAWSEnv(t)
	resp := configure(t, map[string]any{"access_key": testAccessKey, "secret_key": testSecretKey})
	text := diagText(resp.Diagnostics)
	if !resp.Diagnostics.HasError() || !strings.Contains(text, "AWS_REGION") || !strings.Contains(text, "Missing AWS region") {
		t.Fatalf("want a missing-region error, got:\n%s", text)
	}
}

func TestConfigureRegionFromEnvironmentAndBlockWins(t *testing.T) {
	isolateAWSEnv(t)
	t.Setenv("AWS_DEFAULT_REGION", "ap-south-1")
	base := map[string]any{
		"access_key": testAccessKey, "secret_key": testSecretKey,
		"skip_credentials_validation": true, "skip_requesting_account_id": true,
	}
	if c := clientsFrom(t, configure(t, base)); c.Region != "ap-south-1" {
		t.Errorf("Region from AWS_DEFAULT_REGION = %q", c.Region)
	}
	t.Setenv("AWS_REGION", "sa-east-1")
	if c := clientsFrom(t, configure(t, base)); c.Region != "sa-east-1" {
		t.Errorf("Region from AWS_REGION = %q", c.Region)
	}
	base["region"] = "us-gov-west-1"
	c := clientsFrom(t, configure(t, base))
	if c.Region != "us-gov-west-1" || c.Partition != "aws-us-gov" {
		t.Errorf("block region: region %q partition %q", c.Region, c.Partition)
	}
}

func TestConfigureSkipBothMakesNoCalls(t *testing.T) {
	isolateAWSEnv(t)
	stsSrv := newFakeSTS(t, false)
	c := clientsFrom(t, configure(t, staticConfig("us-east-1", stsSrv.URL,
		map[string]any{"skip_credentials_validation": true, "skip_requesting_account_id": true})))
	if n := len(stsSrv.Calls()); n != 0 {
		t.Errorf("STS called %d times with both skips set", n)
	}
	if c.AccountID != "" {
		t.Errorf("AccountID = %q", c.AccountID)
	}
}

func TestConfigureSkipValidationStillFetchesAccountID(t *testing.T) {
	isolateAWSEnv(t)
	stsSrv := newFakeSTS(t, false)
	c := clientsFrom(t, configure(t, staticConfig("us-east-1", stsSrv.URL, map[string]any{"skip_credentials_validation": true})))
	if c.AccountID != testAccountID {
		t.Errorf("AccountID = %q", c.AccountID)
	}

	// With validation skipped, a failing call is a warning, not an error.
	rejecting := newFakeSTS(t, true)
	resp := configure(t, staticConfig("us-east-1", rejecting.URL, map[string]any{"skip_credentials_validation": true}))
	c = clientsFrom(t, resp)
	if c.AccountID != "" || resp.Diagnostics.WarningsCount() != 1 {
		t.Errorf("AccountID %q, diagnostics:\n%s", c.AccountID, diagText(resp.Diagnostics))
	}
}

func TestConfigureEndpointsFromEnvironment(t *testing.T) {
	isolateAWSEnv(t)
	stsSrv := newFakeSTS(t, false)
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
	t.Setenv("AWS_ENDPOINT_URL_STS", stsSrv.URL)
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "http://127.0.0.1:7000")
	c := clientsFrom(t, configure(t, map[string]any{
		"region": "us-east-1", "access_key": testAccessKey, "secret_key": testSecretKey,
		"endpoints": []any{map[string]any{"ec2": "http://127.0.0.1:9000"}},
	}))
	if len(stsSrv.Calls()) != 1 {
		t.Errorf("STS endpoint from AWS_ENDPOINT_URL_STS not used")
	}
	for name, got := range map[string]string{
		"ec2 (block)":          aws.ToString(c.EC2.Options().BaseEndpoint),
		"logs (env)":           aws.ToString(c.Logs.Options().BaseEndpoint),
		"elasticache (global)": aws.ToString(c.ElastiCache.Options().BaseEndpoint),
		"pricing (global)":     aws.ToString(c.Pricing.Options().BaseEndpoint),
		"cloudwatch (global)":  aws.ToString(c.CloudWatch.Options().BaseEndpoint),
		"sts (service env)":    aws.ToString(c.STS.Options().BaseEndpoint),
	} {
		want := map[string]string{
			"ec2 (block)":          "http://127.0.0.1:9000",
			"logs (env)":           "http://127.0.0.1:7000",
			"elasticache (global)": "http://127.0.0.1:4566",
			"pricing (global)":     "http://127.0.0.1:4566",
			"cloudwatch (global)":  "http://127.0.0.1:4566",
			"sts (service env)":    stsSrv.URL,
		}[name]
		if got != want {
			t.Errorf("%s endpoint = %q, want %q", name, got, want)
		}
	}
}

func TestConfigureInvalidEndpointFromEnvironment(t *testing.T) {
	isolateAWSEnv(t)
	t.Setenv("AWS_ENDPOINT_URL_ELASTICACHE", "localhost:4566")
	resp := configure(t, map[string]any{
		"region": "us-east-1", "access_key": testAccessKey, "secret_key": testSecretKey,
		"skip_credentials_validation": true, "skip_requesting_account_id": true,
	})
	text := diagText(resp.Diagnostics)
	if !resp.Diagnostics.HasError() || !strings.Contains(text, "AWS_ENDPOINT_URL_ELASTICACHE") {
		t.Fatalf("want an error naming AWS_ENDPOINT_URL_ELASTICACHE, got:\n%s", text)
	}
}

func TestConfigureRetryFromEnvironment(t *testing.T) {
	isolateAWSEnv(t)
	t.Setenv("AWS_MAX_ATTEMPTS", "7")
	base := map[string]any{
		"region": "us-east-1", "access_key": testAccessKey, "secret_key": testSecretKey,
		"skip_credentials_validation": true, "skip_requesting_account_id": true,
	}
	if got := clientsFrom(t, configure(t, base)).EC2.Options().Retryer.MaxAttempts(); got != 7 {
		t.Errorf("max attempts from AWS_MAX_ATTEMPTS = %d, want 7", got)
	}
	base["max_retries"] = 2
	if got := clientsFrom(t, configure(t, base)).EC2.Options().Retryer.MaxAttempts(); got != 3 {
		t.Errorf("max attempts with max_retries = 2: %d, want 3 (block wins over env)", got)
	}
	t.Setenv("AWS_MAX_ATTEMPTS", "")
	delete(base, "max_retries")
	if got := clientsFrom(t, configure(t, base)).EC2.Options().Retryer.MaxAttempts(); got != defaultMaxRetries+1 {
		t.Errorf("default max attempts = %d, want %d", got, defaultMaxRetries+1)
	}
}

func TestConfigureProfileFromSharedFiles(t *testing.T) {
	isolateAWSEnv(t)
	stsSrv := newFakeSTS(t, false)
	dir := t.TempDir()
	configFile := dir + "/config"
	credsFile := dir + "/credentials"
	writeFile(t, configFile, "[profile cache]\nregion = eu-north-1\n")
	writeFile(t, credsFile, "[cache]\naws_access_key_id = "+testAccessKey+"\naws_secret_access_key = "+testSecretKey+"\n")

	c := clientsFrom(t, configure(t, map[string]any{
		"profile":                  "cache",
		"shared_config_files":      []any{configFile},
		"shared_credentials_files": []any{credsFile},
		"endpoints":                []any{map[string]any{"sts": stsSrv.URL}},
	}))
	if c.Region != "eu-north-1" {
		t.Errorf("Region = %q, want the profile's eu-north-1", c.Region)
	}
	if calls := stsSrv.Calls(); len(calls) != 1 || calls[0].AccessKey != testAccessKey {
		t.Errorf("calls = %+v, want one signed with the profile's key", calls)
	}

	// A missing profile is a clear error naming it.
	resp := configure(t, map[string]any{
		"profile": "nope", "shared_config_files": []any{configFile}, "shared_credentials_files": []any{credsFile},
	})
	if text := diagText(resp.Diagnostics); !resp.Diagnostics.HasError() || !strings.Contains(text, `"nope"`) {
		t.Errorf("want an error naming the profile, got:\n%s", text)
	}
}

func TestConfigureUnknownValuesLeavesProviderUnconfigured(t *testing.T) {
	isolateAWSEnv(t)
	resp := configure(t, map[string]any{"region": unknown, "access_key": testAccessKey, "secret_key": testSecretKey})
	if resp.Diagnostics.HasError() {
		t.Fatalf("unexpected error:\n%s", diagText(resp.Diagnostics))
	}
	if resp.ResourceData != nil || resp.DataSourceData != nil {
		t.Error("provider data set despite unknown configuration")
	}
}

func TestConfigureUnknownValuesDeferWhenAllowed(t *testing.T) {
	isolateAWSEnv(t)
	p, sr := testProvider(t)
	typ := sr.Schema.Type().TerraformType(context.Background())
	req := provider.ConfigureRequest{
		Config:             tfsdkConfig(t, sr, typ, map[string]any{"endpoints": []any{map[string]any{"sts": unknown}}}),
		ClientCapabilities: provider.ConfigureProviderClientCapabilities{DeferralAllowed: true},
	}
	var resp provider.ConfigureResponse
	p.Configure(context.Background(), req, &resp)
	if resp.Deferred == nil || resp.Deferred.Reason != provider.DeferredReasonProviderConfigUnknown {
		t.Fatalf("Deferred = %+v", resp.Deferred)
	}
}

// TestProtocolValidateProviderConfig drives the schema validators through the protocol server.
func TestProtocolValidateProviderConfig(t *testing.T) {
	isolateAWSEnv(t)
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	_, sr := testProvider(t)
	typ := sr.Schema.Type().TerraformType(context.Background())

	cases := []struct {
		name    string
		block   map[string]any
		wantErr string
	}{
		{name: "valid", block: map[string]any{"region": "us-east-1", "retry_mode": "standard"}},
		{name: "bad retry mode", block: map[string]any{"retry_mode": "aggressive"}, wantErr: "retry_mode"},
		{name: "bad endpoint", block: map[string]any{"endpoints": []any{map[string]any{"sns": "localhost:4566"}}}, wantErr: "Invalid endpoint URL"},
		{name: "bad duration", block: map[string]any{"assume_role": []any{map[string]any{"role_arn": testRoleARN, "duration": "an hour"}}}, wantErr: "Go duration"},
		{name: "duration too long", block: map[string]any{"assume_role": []any{map[string]any{"role_arn": testRoleARN, "duration": "24h"}}}, wantErr: "between"},
		{name: "two endpoints blocks", block: map[string]any{"endpoints": []any{map[string]any{}, map[string]any{}}}, wantErr: "at most 1"},
		{name: "access key without secret", block: map[string]any{"access_key": testAccessKey}, wantErr: "secret_key"},
		{name: "negative retries", block: map[string]any{"max_retries": -1}, wantErr: "max_retries"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dv, err := tfprotov6.NewDynamicValue(typ, toTFValue(t, typ, tc.block))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := server.ValidateProviderConfig(context.Background(), &tfprotov6.ValidateProviderConfigRequest{Config: &dv})
			if err != nil {
				t.Fatal(err)
			}
			var text string
			hasErr := false
			for _, d := range resp.Diagnostics {
				text += d.Summary + ": " + d.Detail + "\n"
				if d.Severity == tfprotov6.DiagnosticSeverityError {
					hasErr = true
				}
			}
			switch {
			case tc.wantErr == "" && hasErr:
				t.Errorf("unexpected error:\n%s", text)
			case tc.wantErr != "" && !hasErr:
				t.Errorf("no error, want one mentioning %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(text, tc.wantErr):
				t.Errorf("error does not mention %q:\n%s", tc.wantErr, text)
			}
		})
	}
}

// TestProtocolConfigureProvider configures through the protocol server, as Terraform does.
func TestProtocolConfigureProvider(t *testing.T) {
	isolateAWSEnv(t)
	stsSrv := newFakeSTS(t, false)
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	_, sr := testProvider(t)
	typ := sr.Schema.Type().TerraformType(context.Background())
	dv, err := tfprotov6.NewDynamicValue(typ, toTFValue(t, typ, map[string]any{
		"region": "us-east-2", "access_key": testAccessKey, "secret_key": testSecretKey,
		"endpoints": []any{map[string]any{"sts": stsSrv.URL}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.11.4",
		Config:           &dv,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Errorf("%s: %s", d.Summary, d.Detail)
		}
	}
	if len(stsSrv.Calls()) != 1 {
		t.Errorf("STS calls = %+v", stsSrv.Calls())
	}
}

func TestConfigureProfileEndpointURLNamedInError(t *testing.T) {
	isolateAWSEnv(t)
	dead := closedPortURL(t)
	dir := t.TempDir()
	configFile := dir + "/config"
	writeFile(t, configFile, "[profile emu]\nregion = us-east-1\nendpoint_url = "+dead+"\naws_access_key_id = "+testAccessKey+"\naws_secret_access_key = "+testSecretKey+"\n")
	resp := configure(t, map[string]any{"profile": "emu", "shared_config_files": []any{configFile}})
	text := diagText(resp.Diagnostics)
	for _, want := range []string{dead, "endpoint_url in the shared config profile", `shared config profile "emu"`} {
		if !strings.Contains(text, want) {
			t.Errorf("diagnostic does not mention %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, testSecretKey) {
		t.Errorf("diagnostic leaks the secret key:\n%s", text)
	}
}
