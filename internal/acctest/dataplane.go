package acctest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// CAFileEnv names the environment variable that holds the path of the emulator run's TLS CA
// (PEM) once RequireDataPlane has found it; `make demo` and the Terratest suite set it too.
const CAFileEnv = "ELASTICACHE_TEST_CA_FILE"

// DataPlane is the emulator's data plane (GET /_emulator/dataplane): whether real engines
// serve the caches, the run's TLS CA, and the engines.
type DataPlane struct {
	Enabled    bool              `json:"enabled"`
	Reason     string            `json:"reason"`
	CAFile     string            `json:"ca_file"`
	MaxEngines int               `json:"max_engines"`
	Engines    []Engine          `json:"engines"`
	Errors     map[string]string `json:"errors"`
}

// Engine is one engine process of the data plane.
type Engine struct {
	Cache   string `json:"cache"` // region/kind/name, kind rg, cc or sc
	Member  string `json:"member"`
	Engine  string `json:"engine"` // redis-server or memcached
	Address string `json:"address"`
	Port    int    `json:"port"`
	Role    string `json:"role"` // primary or replica (Redis)
	PID     int    `json:"pid"`
	TLS     string `json:"tls"` // required, preferred or off
}

// DataPlane fetches the data plane's description.
func (e *Emulator) DataPlane(ctx context.Context) (DataPlane, error) {
	var out DataPlane
	err := e.control(ctx, http.MethodGet, "/_emulator/dataplane", nil, &out)
	return out, err
}

// RequireDataPlane returns the bundled emulator's data plane and exports its CA path in
// ELASTICACHE_TEST_CA_FILE. Without engines (redis-server / memcached not installed) the test
// is skipped with the emulator's reason — except when CI=true, where engines are part of the
// contract and the test fails.
func RequireDataPlane(t *testing.T) DataPlane {
	t.Helper()
	if Local == nil {
		t.Skip("needs the bundled emulator's data plane (live engines); running against " + Endpoint)
	}
	dp, err := Local.DataPlane(context.Background())
	if err != nil {
		t.Fatalf("data plane: %v", err)
	}
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

// TLSConfig trusts the emulator run's CA only, and checks the server's address against the
// certificate, as a client of a real cache checks the host name.
func (d DataPlane) TLSConfig() (*tls.Config, error) {
	pem, err := os.ReadFile(d.CAFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no certificate in %s", d.CAFile)
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
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

// Eventually polls check with backoff (10 ms doubling to 500 ms) until it returns nil or the
// timeout passes; it returns the last error.
func Eventually(ctx context.Context, timeout time.Duration, check func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	delay := 10 * time.Millisecond
	for {
		err := check(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(delay*2, 500*time.Millisecond)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
