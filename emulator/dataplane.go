package emulator

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
)

// CAFileEnv names the environment variable that holds the path of the emulator run's TLS CA
// (PEM) once a harness has found it; `make demo` and the Terratest suite set it too.
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
