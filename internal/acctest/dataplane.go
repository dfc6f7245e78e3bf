package acctest

import (
	"context"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
)

// CAFileEnv names the environment variable that holds the path of the emulator run's TLS CA.
const CAFileEnv = emulator.CAFileEnv

// DataPlane is the emulator's data plane, with a go-redis client for tests.
type DataPlane struct{ emulator.DataPlane }

// Engine is one engine process of the data plane.
type Engine = emulator.Engine

// RequireDataPlane returns the bundled emulator's data plane and exports its CA path in
// ELASTICACHE_TEST_CA_FILE. Without engines (redis-server / memcached not installed) the test
// is skipped with the emulator's reason — except when CI=true, where engines are part of the
// contract and the test fails.
func RequireDataPlane(t *testing.T) DataPlane {
	t.Helper()
	if Local == nil {
		t.Skip("needs the bundled emulator's data plane (live engines); running against " + Endpoint)
	}
	plane, err := Local.DataPlane(context.Background())
	if err != nil {
		t.Fatalf("data plane: %v", err)
	}
	dp := DataPlane{plane}
	if !dp.Enabled {
		msg := "emulator data plane " + dp.Reason
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI=true requires the engines: .ci/run installs them)")
		}
		t.Skip(msg)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("emulator stderr (last lines):\n%s", lastLines(Local.Stderr(), 200))
		}
	})
	// Process-wide on purpose (t.Setenv panics in parallel tests): the CA is the same for the run.
	os.Setenv(CAFileEnv, dp.CAFile) //nolint:usetesting
	return dp
}

// RedisOptions are what a test varies when it connects to an engine.
type RedisOptions struct {
	TLS      bool
	Username string
	Password string
}

// Redis returns a go-redis client for host:port (closed at the end of the test). It does not
// retry: tests assert on the first answer.
func (d DataPlane) Redis(t *testing.T, host string, port int, o RedisOptions) *redis.Client {
	t.Helper()
	opts := &redis.Options{Addr: net.JoinHostPort(host, strconv.Itoa(port)), Username: o.Username, Password: o.Password,
		MaxRetries: -1, DialTimeout: 5 * time.Second, PoolSize: 4, Protocol: 2}
	if o.TLS {
		cfg, err := d.TLSConfig()
		if err != nil {
			t.Fatal(err)
		}
		opts.TLSConfig = cfg
	}
	c := redis.NewClient(opts)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// Eventually polls check with backoff until it returns nil or the timeout passes
// (emulator.Eventually, which the Terratest module uses too).
var Eventually = emulator.Eventually

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
