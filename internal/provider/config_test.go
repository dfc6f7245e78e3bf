package provider

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

func TestRegionPartition(t *testing.T) {
	for region, want := range map[string]string{
		"us-east-1": "aws", "eu-west-1": "aws", "ap-southeast-7": "aws", "mx-central-1": "aws",
		"us-gov-west-1": "aws-us-gov", "us-gov-east-1": "aws-us-gov",
		"cn-north-1": "aws-cn", "cn-northwest-1": "aws-cn",
	} {
		got, ok := regionPartition(region)
		if !ok || got != want {
			t.Errorf("regionPartition(%q) = (%q, %v), want (%q, true)", region, got, ok, want)
		}
		if p := partitionForRegion(region); p != want {
			t.Errorf("partitionForRegion(%q) = %q, want %q", region, p, want)
		}
	}
	for _, bad := range []string{"", "us-east-10", "mars-north-1", "US-EAST-1", "useast1"} {
		if _, ok := regionPartition(bad); ok {
			t.Errorf("regionPartition(%q) accepted an unknown region", bad)
		}
	}
	for region, want := range map[string]string{
		"us-gov-north-9": "aws-us-gov", "cn-south-9": "aws-cn", "us-iso-east-1": "aws-iso",
		"us-isob-east-1": "aws-iso-b", "eusc-de-east-1": "aws-eusc", "moon-base-1": "aws",
	} {
		if got := partitionForRegion(region); got != want {
			t.Errorf("partitionForRegion(%q) = %q, want %q", region, got, want)
		}
	}
}

func TestKnownRegionsAreUniqueAndWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range allKnownRegions() {
		if seen[r] {
			t.Errorf("duplicate region %q", r)
		}
		seen[r] = true
		if strings.ToLower(r) != r || strings.Count(r, "-") < 2 {
			t.Errorf("malformed region %q", r)
		}
	}
}

func TestClosestRegion(t *testing.T) {
	for in, want := range map[string]string{"eu-wset-1": "eu-west-1", "us-east1": "us-east-1", "US-WEST-2": "us-west-2"} {
		got, ok := closestRegion(in)
		if !ok || got != want {
			t.Errorf("closestRegion(%q) = (%q, %v), want (%q, true)", in, got, ok, want)
		}
	}
	if got, ok := closestRegion("mars-north-1"); ok {
		t.Errorf("closestRegion(mars-north-1) suggested %q", got)
	}
}

func TestResolveRetry(t *testing.T) {
	four := 4
	zero := 0
	cases := []struct {
		name         string
		pc           providerConfig
		loaded       aws.Config
		wantAttempts int
		wantMode     aws.RetryMode
	}{
		{name: "defaults", wantAttempts: defaultMaxRetries + 1, wantMode: aws.RetryModeStandard},
		{name: "env/profile", loaded: aws.Config{RetryMaxAttempts: 6, RetryMode: aws.RetryModeAdaptive}, wantAttempts: 6, wantMode: aws.RetryModeAdaptive},
		{name: "block wins", pc: providerConfig{MaxRetries: &four, RetryMode: "standard"}, loaded: aws.Config{RetryMaxAttempts: 6, RetryMode: aws.RetryModeAdaptive}, wantAttempts: 5, wantMode: aws.RetryModeStandard},
		{name: "zero retries means one attempt", pc: providerConfig{MaxRetries: &zero}, wantAttempts: 1, wantMode: aws.RetryModeStandard},
		{name: "mode only from block", pc: providerConfig{RetryMode: "adaptive"}, loaded: aws.Config{RetryMaxAttempts: 3}, wantAttempts: 3, wantMode: aws.RetryModeAdaptive},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rs := resolveRetry(tc.pc, tc.loaded)
			if rs.MaxAttempts != tc.wantAttempts || rs.Mode != tc.wantMode || rs.Source == "" {
				t.Fatalf("resolveRetry = %+v, want %d attempts, mode %s", rs, tc.wantAttempts, tc.wantMode)
			}
			r := rs.newRetryer()()
			if r.MaxAttempts() != tc.wantAttempts {
				t.Errorf("retryer MaxAttempts = %d, want %d", r.MaxAttempts(), tc.wantAttempts)
			}
		})
	}
}

func TestDescribeCredentialSource(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		name string
		pc   providerConfig
		env  map[string]string
		want string
	}{
		{name: "static", pc: providerConfig{AccessKey: testAccessKey, SecretKey: testSecretKey}, env: map[string]string{"AWS_PROFILE": "x"}, want: "static access_key/secret_key from the provider block"},
		{name: "static with token", pc: providerConfig{AccessKey: testAccessKey, SecretKey: testSecretKey, Token: "SESSIONTOKENSECRET"}, want: "with session token"},
		{name: "block profile beats env keys", pc: providerConfig{Profile: "prod"}, env: map[string]string{"AWS_ACCESS_KEY_ID": testAccessKey}, want: `shared config profile "prod" (profile in the provider block)`},
		{name: "env keys", env: map[string]string{"AWS_ACCESS_KEY_ID": testAccessKey, "AWS_PROFILE": "x"}, want: "environment variables AWS_ACCESS_KEY_ID"},
		{name: "env profile", env: map[string]string{"AWS_PROFILE": "dev"}, want: `shared config profile "dev" (AWS_PROFILE)`},
		{name: "web identity", env: map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "/tok", "AWS_ROLE_ARN": testRoleARN}, want: "web identity token file"},
		{name: "default chain", want: "default credential chain"},
		{name: "assume role", pc: providerConfig{AssumeRole: &assumeRoleConfig{RoleARN: testRoleARN}}, want: `then assume role "` + testRoleARN + `"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := describeCredentialSource(tc.pc, env(tc.env))
			if !strings.Contains(got, tc.want) {
				t.Errorf("describeCredentialSource = %q, want it to contain %q", got, tc.want)
			}
			for _, secret := range []string{testSecretKey, testAccessKey, "SESSIONTOKENSECRET"} {
				if strings.Contains(got, secret) {
					t.Errorf("describeCredentialSource leaks %q: %q", secret, got)
				}
			}
		})
	}
}

func TestExpandHome(t *testing.T) {
	t.Setenv("HOME", "/home/tester")
	for in, want := range map[string]string{
		"~/.aws/config": "/home/tester/.aws/config",
		"~":             "/home/tester",
		"/etc/aws":      "/etc/aws",
		"rel/~/x":       "rel/~/x",
		"~other/x":      "~other/x",
	} {
		if got := expandHome(in); got != want {
			t.Errorf("expandHome(%q) = %q, want %q", in, got, want)
		}
	}
}
