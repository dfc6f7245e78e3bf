// Package acctest is the acceptance test harness: it starts one bundled emulator per test
// binary (or uses ELASTICACHE_TEST_ENDPOINT / AWS_ENDPOINT_URL for LocalStack or AWS), serves
// the provider in-process to terraform-plugin-testing through ProtoV6 factories, and runs the
// installed provider through the real Terraform CLI where a test needs the CLI's own output.
package acctest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/cachestack/terraform-provider-elasticache/internal/provider"
)

// ProviderFactories serves the provider in-process to terraform-plugin-testing.
var ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"elasticache": providerserver.NewProtocol6WithError(provider.New("test")()),
}

// Endpoint is the AWS endpoint acceptance tests run against; Local is the bundled emulator
// when this run started one, nil when an external endpoint was given.
var (
	Endpoint string
	Local    *Emulator
)

// Main is TestMain for packages with acceptance tests. Without TF_ACC it only runs the unit
// tests. With TF_ACC it starts the emulator unless ELASTICACHE_TEST_ENDPOINT (or
// AWS_ENDPOINT_URL) names another endpoint, and points the AWS SDK at it through the standard
// environment variables, exactly as a user would.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if os.Getenv("TF_ACC") == "" {
		return m.Run()
	}
	Endpoint = os.Getenv("ELASTICACHE_TEST_ENDPOINT")
	if Endpoint == "" {
		Endpoint = os.Getenv("AWS_ENDPOINT_URL")
	}
	if Endpoint == "" {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		e, err := StartEmulator(ctx, EmulatorOptions{})
		cancel()
		if err != nil {
			fmt.Fprintln(os.Stderr, "acctest: cannot start the bundled emulator:", err)
			return 1
		}
		defer func() { _ = e.Stop() }()
		Local, Endpoint = e, e.URL
		for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1"} {
			os.Setenv(k, v)
		}
		os.Unsetenv("AWS_PROFILE")
		os.Unsetenv("AWS_SESSION_TOKEN")
	}
	os.Setenv("AWS_ENDPOINT_URL", Endpoint)

	// The machine's TF_CLI_CONFIG_FILE may name a missing file; the in-process provider needs no
	// installation, so an empty config will do for terraform-plugin-testing.
	dir, err := os.MkdirTemp("", "acctest-tfrc")
	if err != nil {
		fmt.Fprintln(os.Stderr, "acctest:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	rc := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(rc, nil, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, "acctest:", err)
		return 1
	}
	if os.Getenv("ACCTEST_KEEP_TF_CLI_CONFIG") == "" {
		os.Setenv("TF_CLI_CONFIG_FILE", rc)
	}
	return m.Run()
}

// PreCheck fails a test that needs an endpoint when none is set up.
func PreCheck(t *testing.T) {
	t.Helper()
	if Endpoint == "" {
		t.Fatal("acceptance tests need TF_ACC=1 and TestMain calling acctest.Main")
	}
}

// RequireEmulator skips tests that inspect or steer the bundled emulator (request log, delays,
// faults) when the run targets LocalStack or AWS.
func RequireEmulator(t *testing.T) *Emulator {
	t.Helper()
	if Local == nil {
		t.Skip("needs the bundled emulator (request log / faults); running against " + Endpoint)
	}
	return Local
}
