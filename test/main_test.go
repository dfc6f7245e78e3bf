// Package test is the Terratest suite of the tier modules (modules/genai-session,
// modules/rate-limit, modules/cache) and their examples. Every test applies real Terraform
// configurations with the provider from the local filesystem mirror (make install) against the
// bundled emulator, checks the outputs and the AWS resources through aws-sdk-go-v2, plans again
// expecting no changes, destroys, and checks that nothing of it is left.
//
//	make install && cd test && TF_ACC=1 go test ./... -count=1 -timeout 30m
//
// The suite starts test/emulator/emulator.py itself. With ELASTICACHE_TEST_ENDPOINT it uses that
// endpoint instead (an emulator you started, LocalStack, ...); ELASTICACHE_TEST_SUBNET_IDS
// (comma separated) then names the subnets when the endpoint has no default VPC.
package test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
)

// suite is what TestMain prepares for every test.
var suite struct {
	RepoRoot    string
	TFRC        string // CLI config with the filesystem mirror (a snapshot of make install's)
	Endpoint    string
	OwnEmulator bool // the endpoint is an emulator this process started: its control API is ours
	Net         network
	Env         map[string]string // environment of every terraform command
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	// The one gate of tests that need an endpoint (emulator.SkipUnlessAcc): every test here
	// does, so without TF_ACC the suite runs nothing.
	if os.Getenv("TF_ACC") == "" {
		fmt.Println("test/: the Terratest suite needs TF_ACC=1 (make test-modules sets it); skipped")
		return 0
	}
	var cleanups []func()
	defer func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}()
	if err := setUp(&cleanups); err != nil {
		fmt.Fprintln(os.Stderr, "test setup:", err)
		return 1
	}
	return m.Run()
}

// setUp fills suite: the CLI config, the endpoint (an emulator of our own unless
// ELASTICACHE_TEST_ENDPOINT names one), the environment and the network. What it sets up is
// undone by the cleanups it adds, which run after the tests, the last first.
func setUp(cleanups *[]func()) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	root, err := repoRoot()
	if err != nil {
		return err
	}
	suite.RepoRoot = root
	rc, cleanupRC, err := cliConfig(root)
	if err != nil {
		return err
	}
	*cleanups = append(*cleanups, cleanupRC)
	suite.TFRC = rc

	suite.Endpoint = os.Getenv("ELASTICACHE_TEST_ENDPOINT")
	if suite.Endpoint == "" {
		emu, err := emulator.Start(ctx, emulator.Options{})
		if err != nil {
			return err
		}
		*cleanups = append(*cleanups, func() { _ = emu.Stop() })
		suite.Endpoint = emu.URL
		suite.OwnEmulator = true
	}

	suite.Env = map[string]string{
		"TF_CLI_CONFIG_FILE":    suite.TFRC,
		"TF_IN_AUTOMATION":      "1",
		"TF_INPUT":              "0",
		"CHECKPOINT_DISABLE":    "1",
		"AWS_ENDPOINT_URL":      suite.Endpoint,
		"AWS_REGION":            envOr("AWS_REGION", "us-east-1"),
		"AWS_ACCESS_KEY_ID":     envOr("AWS_ACCESS_KEY_ID", "test"),
		"AWS_SECRET_ACCESS_KEY": envOr("AWS_SECRET_ACCESS_KEY", "test"),
		"AWS_PROFILE":           "",
		"AWS_SESSION_TOKEN":     "",
	}
	// The SDK clients of the tests read the same environment.
	for k, v := range suite.Env {
		if v == "" {
			os.Unsetenv(k)
		} else {
			os.Setenv(k, v)
		}
	}

	net, cleanup, err := setupNetwork(ctx)
	if err != nil {
		return fmt.Errorf("network: %w", err)
	}
	*cleanups = append(*cleanups, cleanup)
	suite.Net = net
	return nil
}

// cliConfig returns the Terraform CLI config the tests use. By default that is make install's
// .build/terraformrc (a filesystem mirror holding the provider), pointed at a private copy of
// .build/mirror taken now: a `make install` while the tests run (which replaces the binary and
// its checksum) then cannot break their `terraform destroy`. A TF_CLI_CONFIG_FILE naming another
// existing file (a network mirror, say) is used as it is.
func cliConfig(root string) (string, func(), error) {
	defaultRC := filepath.Join(root, ".build", "terraformrc")
	if rc := os.Getenv("TF_CLI_CONFIG_FILE"); rc != "" && filepath.Clean(rc) != defaultRC {
		if _, err := os.Stat(rc); err == nil {
			return rc, func() {}, nil
		}
	}
	mirror := filepath.Join(root, ".build", "mirror")
	if _, err := os.Stat(defaultRC); err != nil {
		return "", nil, fmt.Errorf("%s is missing: run `make install` first (it builds the provider into .build/mirror and writes the CLI config)", defaultRC)
	}
	if _, err := os.Stat(filepath.Join(mirror, "registry.terraform.io", "cachestack", "elasticache")); err != nil {
		return "", nil, fmt.Errorf("no provider in %s: run `make install` first", mirror)
	}
	dir, err := os.MkdirTemp("", "module-tests-tfrc-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { _ = os.RemoveAll(dir) }
	if err := copyDir(mirror, filepath.Join(dir, "mirror")); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("snapshot %s: %w", mirror, err)
	}
	config, err := os.ReadFile(defaultRC)
	if err != nil {
		cleanup()
		return "", nil, err
	}
	if !strings.Contains(string(config), mirror) {
		cleanup()
		return "", nil, fmt.Errorf("%s does not name %s; delete it and run `make install`", defaultRC, mirror)
	}
	rc := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(rc, []byte(strings.ReplaceAll(string(config), mirror, filepath.Join(dir, "mirror"))), 0o644); err != nil {
		cleanup()
		return "", nil, err
	}
	return rc, cleanup, nil
}

// copyDir copies a directory tree, keeping file modes (the provider binary stays executable).
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

// repoRoot is the directory above test/ (where go.mod of the provider and modules/ live).
func repoRoot() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", fmt.Errorf("cannot locate the test sources")
	}
	root := filepath.Clean(filepath.Join(filepath.Dir(file), ".."))
	if _, err := os.Stat(filepath.Join(root, "modules")); err != nil {
		return "", fmt.Errorf("modules/ not found under %s", root)
	}
	return root, nil
}
