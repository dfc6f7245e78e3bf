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
	tfacctest "github.com/hashicorp/terraform-plugin-testing/helper/acctest"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
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
	os.Exit(run(m, emulator.Options{}, nil))
}

// run is Main with the emulator's options and a look at the outcome: after gets the exit code
// of the tests and returns the run's (nil keeps it).
func run(m *testing.M, opts emulator.Options, after func(code int) int) int {
	if os.Getenv("TF_ACC") == "" {
		return m.Run()
	}
	Endpoint = os.Getenv("ELASTICACHE_TEST_ENDPOINT")
	if Endpoint == "" {
		Endpoint = os.Getenv("AWS_ENDPOINT_URL")
	}
	if Endpoint == "" {
		e, err := startLocal(opts)
		if err != nil {
			fmt.Fprintln(os.Stderr, "acctest: cannot start the bundled emulator:", err)
			return 1
		}
		defer func() { _ = e.Stop() }()
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
	code := m.Run()
	if after != nil {
		code = after(code)
	}
	return code
}

// startLocal starts the bundled emulator as Local and Endpoint, with the test credentials in
// the environment (and no profile or session token of the machine's).
func startLocal(opts emulator.Options) (*Emulator, error) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	e, err := emulator.Start(ctx, opts)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "acctest: emulator at %s ready in %s\n", e.URL, time.Since(start).Round(10*time.Millisecond))
	Local, Endpoint = e, e.URL
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1"} {
		os.Setenv(k, v)
	}
	os.Unsetenv("AWS_PROFILE")
	os.Unsetenv("AWS_SESSION_TOKEN")
	return e, nil
}

// SkipUnlessAcc skips the test without TF_ACC: the one gate of every test that needs an
// endpoint (emulator.SkipUnlessAcc). PreCheck, Network, RequireEmulator and NewWorkdir call it
// first, so a test calling one of them before resource.Test skips instead of failing.
func SkipUnlessAcc(t testing.TB) {
	t.Helper()
	emulator.SkipUnlessAcc(t)
}

// RandomName returns prefix-<random digits> (terraform-plugin-testing's RandomWithPrefix): every
// test that creates something names it so, so that parallel tests, repeated runs and other
// people's runs against one shared account never collide. Keep prefixes at most 20 characters:
// a stack name has at most 40.
func RandomName(prefix string) string {
	return tfacctest.RandomWithPrefix(prefix)
}

// PreCheck skips the test without TF_ACC and fails it when no endpoint was set up (a package
// whose TestMain does not call acctest.Main).
func PreCheck(t testing.TB) {
	t.Helper()
	SkipUnlessAcc(t)
	if Endpoint == "" {
		t.Fatal("acceptance tests need TestMain calling acctest.Main")
	}
}

// RequireEmulator skips tests that inspect or steer the bundled emulator (request log, delays,
// faults) when the run targets LocalStack or AWS.
func RequireEmulator(t *testing.T) *Emulator {
	t.Helper()
	PreCheck(t)
	if Local == nil {
		t.Skip("needs the bundled emulator (request log / faults); running against " + Endpoint)
	}
	return Local
}
