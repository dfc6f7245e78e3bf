// Package costtest gives the tests of internal/cost and internal/costestimate a bundled
// emulator of their own (package emulator starts it), and test-friendly calls of its control
// API.
//
// Like every acceptance test they run under TF_ACC (as `make test` does) and are skipped
// otherwise. They always start their own emulator on a free port, because they assert the
// emulator's own fixture prices (test/emulator/fixtures/prices.json), which another endpoint
// (LocalStack, AWS) would not serve.
package costtest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
)

// Emulator is the running emulator.
type Emulator struct{ *emulator.Emulator }

// Fault is one fault rule of POST /_emulator/faults.
type Fault = emulator.FaultRule

var (
	shared    *Emulator
	sharedErr error
	once      sync.Once
)

// Require returns the emulator shared by the test binary, starting it on first use; it skips
// the test without TF_ACC and fails it when the emulator cannot start. Call Stop from TestMain
// after m.Run.
func Require(t testing.TB) *Emulator {
	t.Helper()
	emulator.SkipUnlessAcc(t)
	once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		var e *emulator.Emulator
		if e, sharedErr = emulator.Start(ctx, emulator.Options{DataPlane: "off"}); sharedErr == nil {
			shared = &Emulator{e}
		}
	})
	if sharedErr != nil {
		t.Fatalf("cannot start the bundled emulator: %v", sharedErr)
	}
	return shared
}

// Stop stops the shared emulator, if one was started.
func Stop() {
	if shared != nil {
		_ = shared.Stop()
	}
}

// InjectFaults adds fault rules; they are cleared when the test ends.
func (e *Emulator) InjectFaults(t testing.TB, faults ...Fault) {
	t.Helper()
	if err := e.Emulator.InjectFaults(context.Background(), faults); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.ClearFaults(context.Background()) })
}

// ClearRequests empties the request log.
func (e *Emulator) ClearRequests(t testing.TB) {
	t.Helper()
	if err := e.ResetRequests(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Count counts the logged requests of one operation.
func (e *Emulator) Count(t testing.TB, service, operation string) int {
	t.Helper()
	reqs, err := e.Requests(context.Background())
	if err != nil {
		t.Fatalf("emulator request log: %v", err)
	}
	return emulator.CountRequests(reqs, service, operation)
}
