package test

import (
	"bufio"
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
	"syscall"
	"time"
)

// emulator is test/emulator/emulator.py started by this process.
type emulator struct {
	URL    string
	cmd    *exec.Cmd
	stdin  io.WriteCloser // held open: the emulator exits when it closes (--exit-on-stdin-eof)
	stderr *os.File
	exited chan struct{}
	once   sync.Once
}

// startEmulator starts the bundled emulator on a free loopback port and waits for
// EMULATOR_READY. python3, or $EMULATOR_PYTHON.
func startEmulator(ctx context.Context, root string) (*emulator, error) {
	python := envOr("EMULATOR_PYTHON", "python3")
	script := filepath.Join(root, "test", "emulator", "emulator.py")
	stderr, err := os.CreateTemp("", "module-tests-emulator-*.log")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(python, script, "--host", "127.0.0.1", "--port", "0", "--exit-on-stdin-eof")
	cmd.Dir = filepath.Dir(script)
	cmd.Stderr = stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	e := &emulator{cmd: cmd, stderr: stderr, exited: make(chan struct{})}
	if e.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start emulator (%s %s): %w", python, script, err)
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
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() {
		_ = cmd.Wait()
		close(e.exited)
	}()
	select {
	case e.URL = <-ready:
		return e, nil
	case <-e.exited:
		return nil, fmt.Errorf("emulator exited before it was ready; see %s", stderr.Name())
	case <-ctx.Done():
		e.Stop()
		return nil, fmt.Errorf("emulator not ready: %w; see %s", ctx.Err(), stderr.Name())
	}
}

// Stop ends the emulator's process group and waits for it.
func (e *emulator) Stop() {
	e.once.Do(func() {
		_ = e.stdin.Close()
		pgid := e.cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-e.exited:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			<-e.exited
		}
		_ = e.stderr.Close()
		_ = os.Remove(e.stderr.Name())
	})
}

// emulatorResource is one entry of GET /_emulator/resources.
type emulatorResource struct {
	ID               string `json:"id"`
	Status           string `json:"status"`
	Name             string `json:"name,omitempty"`
	ReplicationGroup string `json:"replication_group,omitempty"`
}

// emulatorResources lists everything that exists at an emulator endpoint, "kind/id" (and the
// name, for security groups). ok is false when the endpoint has no control API (LocalStack, AWS).
func emulatorResources(ctx context.Context, endpoint string) (items []string, ok bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(endpoint, "/")+"/_emulator/resources", nil)
	if err != nil {
		return nil, false, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, false, nil
	}
	var body map[string][]emulatorResource
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, false, nil
	}
	for kind, list := range body {
		for _, r := range list {
			item := kind + "/" + r.ID
			if r.Name != "" {
				item += " (" + r.Name + ")"
			}
			items = append(items, item)
		}
	}
	return items, true, nil
}
