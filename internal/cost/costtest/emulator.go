// Package costtest starts the bundled AWS emulator (test/emulator/emulator.py) for the tests of
// internal/cost and internal/costestimate, and talks to its control endpoints.
//
// Emulator tests run when TF_ACC is set (as `make test` does), like every acceptance test;
// otherwise they are skipped. They always start their own emulator on a free port, because
// they assert the emulator's own fixture prices (test/emulator/fixtures/prices.json), which
// another endpoint (LocalStack, AWS) would not serve.
package costtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Emulator is a running emulator.
type Emulator struct {
	// URL is its base URL, e.g. http://127.0.0.1:41234.
	URL string
	cmd *exec.Cmd
}

var (
	shared    *Emulator
	sharedErr error
	once      sync.Once
)

// Require returns the emulator shared by the test binary, starting it on first use; it skips
// the test when emulator tests are not enabled and fails it when the emulator cannot start.
// Call Stop from TestMain after m.Run.
func Require(t testing.TB) *Emulator {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 to run it against the bundled emulator; make testacc does")
	}
	once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		shared, sharedErr = Start(ctx)
	})
	if sharedErr != nil {
		t.Fatalf("cannot start the bundled emulator: %v", sharedErr)
	}
	return shared
}

// Stop stops the shared emulator, if one was started.
func Stop() {
	if shared != nil {
		shared.Stop()
	}
}

// repoRoot finds the module root (the directory holding go.mod) from the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Start launches `python3 test/emulator/emulator.py --port 0` and waits for its
// EMULATOR_READY line.
func Start(ctx context.Context) (*Emulator, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	script := filepath.Join(root, "test", "emulator", "emulator.py")
	if _, err := os.Stat(script); err != nil {
		return nil, err
	}
	cmd := exec.Command("python3", script, "--host", "127.0.0.1", "--port", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &syncWriter{w: &stderr}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if url, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "EMULATOR_READY "); ok {
				ready <- url
				break
			}
		}
		close(ready)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case url, ok := <-ready:
		if !ok {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			return nil, fmt.Errorf("the emulator exited before it was ready: %s", stderr.String())
		}
		return &Emulator{URL: url, cmd: cmd}, nil
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("the emulator was not ready in time: %s", stderr.String())
	}
}

// Stop ends the emulator process.
func (e *Emulator) Stop() {
	if e == nil || e.cmd == nil || e.cmd.Process == nil {
		return
	}
	_ = e.cmd.Process.Kill()
	_ = e.cmd.Wait()
}

// Fault is one fault rule of POST /_emulator/faults.
type Fault struct {
	Service    string `json:"service"`
	Operation  string `json:"operation,omitempty"`
	HTTPStatus int    `json:"http_status,omitempty"`
	ErrorCode  string `json:"error_code,omitempty"`
	Count      int    `json:"count,omitempty"`
}

// InjectFaults adds fault rules; they are cleared when the test ends.
func (e *Emulator) InjectFaults(t testing.TB, faults ...Fault) {
	t.Helper()
	body, err := json.Marshal(faults)
	if err != nil {
		t.Fatal(err)
	}
	e.control(t, http.MethodPost, "/_emulator/faults", body)
	t.Cleanup(func() { e.control(t, http.MethodDelete, "/_emulator/faults", nil) })
}

// Request is one entry of the emulator's request log.
type Request struct {
	Service   string `json:"service"`
	Operation string `json:"operation"`
	Status    int    `json:"status"`
	Fault     bool   `json:"fault"`
}

// Requests returns the request log.
func (e *Emulator) Requests(t testing.TB) []Request {
	t.Helper()
	var out []Request
	if err := json.Unmarshal(e.control(t, http.MethodGet, "/_emulator/requests", nil), &out); err != nil {
		t.Fatalf("emulator request log: %v", err)
	}
	return out
}

// ClearRequests empties the request log.
func (e *Emulator) ClearRequests(t testing.TB) {
	t.Helper()
	e.control(t, http.MethodDelete, "/_emulator/requests", nil)
}

// Count counts the logged requests of one operation.
func (e *Emulator) Count(t testing.TB, service, operation string) int {
	t.Helper()
	n := 0
	for _, r := range e.Requests(t) {
		if r.Service == service && r.Operation == operation {
			n++
		}
	}
	return n
}

func (e *Emulator) control(t testing.TB, method, path string, body []byte) []byte {
	t.Helper()
	req, err := http.NewRequest(method, e.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("emulator %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("emulator %s %s: HTTP %d: %s", method, path, resp.StatusCode, out)
	}
	return out
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
