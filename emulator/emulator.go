// Package emulator starts and steers the bundled AWS emulator (test/emulator/emulator.py: moto
// plus our ElastiCache, CloudWatch-over-CBOR and Pricing extensions and live engines). It is the
// one launcher every harness uses — the acceptance tests (internal/acctest), the cost tests
// (internal/cost/costtest), the benchmark (internal/bench), the Terratest suite (test/) and,
// through cmd/emulator, the scripts — and it does not import the provider, so the test/ module
// can use it too. It also holds the one test-network helper (PrepareNetwork) and the one gate of
// tests that need an endpoint (SkipUnlessAcc).
package emulator

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/cachestack/terraform-provider-elasticache/internal/sdkhttp"
)

// RejectedAccessKeyID is the access key id the emulator answers with 403 InvalidClientTokenId
// ("The security token included in the request is invalid.") in every service.
const RejectedAccessKeyID = "AKIAREJECTED00000000"

// startTimeout bounds how long Start waits for EMULATOR_READY.
const startTimeout = 60 * time.Second

// Emulator is a running bundled emulator (test/emulator/emulator.py: moto plus our
// ElastiCache, CloudWatch-over-CBOR and Pricing extensions), or a handle on one that is
// already running (Connect).
type Emulator struct {
	// URL is the endpoint, e.g. http://127.0.0.1:41234; use it as the SDK's BaseEndpoint or
	// AWS_ENDPOINT_URL.
	URL string

	cmd    *exec.Cmd
	stdin  io.WriteCloser // held open: the emulator exits when it closes (e.g. this process dies)
	stderr *tailBuffer
	exited chan struct{}
	client *http.Client

	stopOnce sync.Once
}

// Options are how Start runs the emulator. The delays are its status transitions: how long a
// resource stays creating, modifying and deleting. Zero (the default) makes every transition
// immediate on the next call, which is what most tests want.
type Options struct {
	// Host and Port to listen on; default 127.0.0.1 and 0 (a free port).
	Host string
	Port int
	// Stderr, when set, receives the emulator's stderr as well (a log file, os.Stderr).
	Stderr io.Writer
	// Args are more command-line flags of emulator.py (--seed, --max-engines, ...).
	Args []string

	CreateDelay time.Duration
	ModifyDelay time.Duration
	DeleteDelay time.Duration
	// DataPlane is the emulator's --data-plane: "" or "auto" (engines when installed), "on",
	// "off" (control plane only, for tests of the API alone).
	DataPlane string
}

// Request is one entry of the emulator's request log.
type Request struct {
	Seq       int       `json:"seq"`
	Time      time.Time `json:"time"`
	Service   string    `json:"service"`   // elasticache, ec2, cloudwatch, pricing, sts, sns, secretsmanager, ...
	Operation string    `json:"operation"` // e.g. CreateReplicationGroup
	Status    int       `json:"status"`    // HTTP status of the answer
	Mutating  bool      `json:"mutating"`  // anything but Describe*/List*/Get*
	Resource  string    `json:"resource,omitempty"`
	Region    string    `json:"region,omitempty"`
	ErrorCode string    `json:"error_code,omitempty"`
	Fault     bool      `json:"fault,omitempty"` // failed by an injected fault
}

// FaultRule makes matching requests fail with a protocol-correct error. Service is the SDK
// service name (elasticache, ec2, cloudwatch, pricing, sts, ...; "*" for any), Operation the
// operation name ("*" or empty for any). Without Nth the next Count matching calls fail; with
// Nth the Nth matching call (counted from when the rule is installed) and the Count-1 after it
// fail. Probability, when set, makes each candidate call fail with that probability.
type FaultRule struct {
	Service     string  `json:"service"`
	Operation   string  `json:"operation,omitempty"`
	Nth         int     `json:"nth,omitempty"`
	Count       int     `json:"count,omitempty"`
	Probability float64 `json:"probability,omitempty"`
	HTTPStatus  int     `json:"http_status,omitempty"` // default 500
	ErrorCode   string  `json:"error_code,omitempty"`  // default InternalFailure
	Message     string  `json:"message,omitempty"`
}

// Resource is one thing that exists in the emulator.
type Resource struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Region string `json:"region"`
	// ReplicationGroup is set for cache clusters that are members of a replication group.
	ReplicationGroup string `json:"replication_group,omitempty"`
	// Name and VpcID are set for security groups.
	Name  string `json:"name,omitempty"`
	VpcID string `json:"vpc_id,omitempty"`
}

// Resources lists everything that exists in the emulator, so a test can check that nothing is
// left behind without trusting Terraform state. Default parameter groups, the default user and
// default security groups are not listed.
type Resources struct {
	ReplicationGroups []Resource `json:"replication_groups"`
	CacheClusters     []Resource `json:"cache_clusters"`
	ParameterGroups   []Resource `json:"parameter_groups"`
	SubnetGroups      []Resource `json:"subnet_groups"`
	ServerlessCaches  []Resource `json:"serverless_caches"`
	Users             []Resource `json:"users"`
	UserGroups        []Resource `json:"user_groups"`
	Snapshots         []Resource `json:"snapshots"`
	Alarms            []Resource `json:"alarms"`
	SecurityGroups    []Resource `json:"security_groups"`
	// Global datastores span regions; Region is their first member's.
	GlobalReplicationGroups []Resource `json:"global_replication_groups"`
	// Scaling are Application Auto Scaling targets ("replication-group/<id>|<dimension>") and
	// their policies ("...|<policy name>").
	Scaling []Resource `json:"scaling"`
}

// All returns "kind/id" for every resource listed.
func (r Resources) All() []string {
	var out []string
	for _, kind := range []struct {
		name  string
		items []Resource
	}{
		{"replication-group", r.ReplicationGroups}, {"cache-cluster", r.CacheClusters},
		{"parameter-group", r.ParameterGroups}, {"subnet-group", r.SubnetGroups},
		{"serverless-cache", r.ServerlessCaches}, {"user", r.Users}, {"user-group", r.UserGroups},
		{"snapshot", r.Snapshots}, {"alarm", r.Alarms}, {"security-group", r.SecurityGroups},
		{"global-replication-group", r.GlobalReplicationGroups}, {"scaling", r.Scaling},
	} {
		for _, item := range kind.items {
			out = append(out, kind.name+"/"+item.ID)
		}
	}
	return out
}

// Start starts test/emulator/emulator.py (on a free loopback port unless opts say otherwise)
// and waits (at most 60 s, less if ctx says so) until it is ready and healthy. The interpreter
// is python3, or $EMULATOR_PYTHON. Stop it with Stop; should this process die first, the
// emulator notices its stdin closing and exits too.
func Start(ctx context.Context, opts Options) (*Emulator, error) {
	script, err := Script()
	if err != nil {
		return nil, err
	}
	python := os.Getenv("EMULATOR_PYTHON")
	if python == "" {
		python = "python3"
	}
	host := opts.Host
	if host == "" {
		host = "127.0.0.1"
	}
	args := []string{script, "--host", host, "--port", strconv.Itoa(opts.Port), "--exit-on-stdin-eof",
		"--create-delay", seconds(opts.CreateDelay),
		"--modify-delay", seconds(opts.ModifyDelay),
		"--delete-delay", seconds(opts.DeleteDelay)}
	if opts.DataPlane != "" {
		args = append(args, "--data-plane", opts.DataPlane)
	}
	args = append(args, opts.Args...)
	cmd := exec.Command(python, args...)
	cmd.Dir = filepath.Dir(script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	e := &Emulator{cmd: cmd, stderr: &tailBuffer{max: 64 << 10}, exited: make(chan struct{}), client: &http.Client{Timeout: 30 * time.Second}}
	cmd.Stderr = e.stderr
	if opts.Stderr != nil {
		cmd.Stderr = io.MultiWriter(e.stderr, opts.Stderr)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
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
				select {
				case ready <- url:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() {
		_ = cmd.Wait()
		close(e.exited)
	}()

	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case e.URL = <-ready:
	case <-e.exited:
		return nil, fmt.Errorf("emulator exited before it was ready (%v); stderr:\n%s", cmd.ProcessState, e.Stderr())
	case <-timer.C:
		_ = e.Stop()
		return nil, fmt.Errorf("emulator not ready after %s; stderr:\n%s", startTimeout, e.Stderr())
	case <-ctx.Done():
		_ = e.Stop()
		return nil, fmt.Errorf("emulator not ready: %w; stderr:\n%s", ctx.Err(), e.Stderr())
	}
	if err := e.Health(ctx); err != nil {
		_ = e.Stop()
		return nil, fmt.Errorf("emulator at %s is not healthy: %w; stderr:\n%s", e.URL, err, e.Stderr())
	}
	return e, nil
}

// Connect returns a handle on an emulator that is already running at url (for
// example one started by `make demo`). Stop on it does nothing.
func Connect(url string) *Emulator {
	return &Emulator{URL: strings.TrimRight(url, "/"), client: &http.Client{Timeout: 30 * time.Second}}
}

// Stop ends the emulator's process group (SIGTERM, then SIGKILL after 5 s) and waits for it.
func (e *Emulator) Stop() error {
	if e == nil || e.cmd == nil || e.cmd.Process == nil {
		return nil
	}
	e.stopOnce.Do(func() {
		_ = e.stdin.Close()
		pgid := e.cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-e.exited:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			<-e.exited
		}
	})
	return nil
}

// PID is the emulator process's id (0 for a handle from Connect): the benchmark reads its CPU
// time.
func (e *Emulator) PID() int {
	if e == nil || e.cmd == nil || e.cmd.Process == nil {
		return 0
	}
	return e.cmd.Process.Pid
}

// Stderr returns the last 64 KiB the emulator wrote to stderr (tracebacks of emulator bugs).
func (e *Emulator) Stderr() string {
	if e.stderr == nil {
		return ""
	}
	return e.stderr.String()
}

// Health checks GET /_emulator/health.
func (e *Emulator) Health(ctx context.Context) error {
	var out struct {
		Status string `json:"status"`
		Moto   string `json:"moto"`
	}
	if err := e.control(ctx, http.MethodGet, "/_emulator/health", nil, &out); err != nil {
		return err
	}
	if out.Status != "ok" {
		return fmt.Errorf("health status %q", out.Status)
	}
	return nil
}

// Requests returns the request log: every AWS call the emulator answered, in order.
func (e *Emulator) Requests(ctx context.Context) ([]Request, error) {
	var out []Request
	err := e.control(ctx, http.MethodGet, "/_emulator/requests", nil, &out)
	return out, err
}

// ResetRequests clears the request log.
func (e *Emulator) ResetRequests(ctx context.Context) error {
	return e.control(ctx, http.MethodDelete, "/_emulator/requests", nil, nil)
}

// SetDelays changes the status-transition delays at run time (all three; zero is immediate).
// Resources already in transition keep the delay they started with.
func (e *Emulator) SetDelays(ctx context.Context, d Options) error {
	body := map[string]float64{
		"create_delay": d.CreateDelay.Seconds(),
		"modify_delay": d.ModifyDelay.Seconds(),
		"delete_delay": d.DeleteDelay.Seconds(),
	}
	return e.control(ctx, http.MethodPost, "/_emulator/config", body, nil)
}

// InjectFaults adds fault rules (they are used up as they fire).
func (e *Emulator) InjectFaults(ctx context.Context, rules []FaultRule) error {
	return e.control(ctx, http.MethodPost, "/_emulator/faults", rules, nil)
}

// ClearFaults removes every fault rule.
func (e *Emulator) ClearFaults(ctx context.Context) error {
	return e.control(ctx, http.MethodDelete, "/_emulator/faults", nil, nil)
}

// Configure changes emulator settings at run time: the delays and AWS's non-determinism
// switches of test/emulator/README.md ("not_found_after_create": 2, "member_lag": 1.5, ...).
// Settings not named keep their value.
func (e *Emulator) Configure(ctx context.Context, settings map[string]any) error {
	return e.control(ctx, http.MethodPost, "/_emulator/config", settings, nil)
}

// Failover moves the primary of a replication group (cluster mode disabled) to another member,
// as an AWS failover does; it returns the new primary.
func (e *Emulator) Failover(ctx context.Context, replicationGroupID string) (string, error) {
	var out struct {
		Primary string `json:"primary"`
	}
	err := e.control(ctx, http.MethodPost, "/_emulator/failover", map[string]string{"replication_group": replicationGroupID}, &out)
	return out.Primary, err
}

// DisableRules switches off exactly the named rules (nil: enforce every rule again). It is
// for debugging and for tests of the rules themselves; the acceptance suite never calls it.
func (e *Emulator) DisableRules(ctx context.Context, names []string) error {
	if names == nil {
		names = []string{}
	}
	return e.control(ctx, http.MethodPost, "/_emulator/rules", map[string][]string{"disabled": names}, nil)
}

// Resources lists everything that exists in the emulator.
func (e *Emulator) Resources(ctx context.Context) (Resources, error) {
	var out Resources
	err := e.control(ctx, http.MethodGet, "/_emulator/resources", nil, &out)
	return out, err
}

func (e *Emulator) control(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, e.URL+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return fmt.Errorf("emulator %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return &StatusError{Method: method, Path: path, Status: resp.StatusCode, Body: string(bytes.TrimSpace(data))}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("emulator %s %s: %w", method, path, err)
	}
	return nil
}

// StatusError is a control endpoint's answer other than 200 OK. An endpoint without the
// control API (LocalStack, AWS) answers so.
type StatusError struct {
	Method, Path string
	Status       int
	Body         string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("emulator %s %s: HTTP %d: %s", e.Method, e.Path, e.Status, e.Body)
}

// CountRequests counts the log entries for one service and operation ("" or "*" matches any).
func CountRequests(reqs []Request, service, operation string) int {
	n := 0
	for _, r := range reqs {
		if (service == "" || service == "*" || r.Service == service) && (operation == "" || operation == "*" || r.Operation == operation) {
			n++
		}
	}
	return n
}

// MutatingRequests returns the entries of calls that change something (not Describe*, List*,
// Get*).
func MutatingRequests(reqs []Request) []Request {
	var out []Request
	for _, r := range reqs {
		if r.Mutating {
			out = append(out, r)
		}
	}
	return out
}

// AWSConfig returns an SDK configuration pointed at an emulator URL: region us-east-1, static
// credentials test/test, BaseEndpoint url, the SDK's default (standard) retryer and the provider's
// HTTP client wrapper. It reads
// nothing from the environment.
func AWSConfig(_ context.Context, url string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(url),
		// as the provider's clients: see sdkhttp.InMemoryBodies (no answers lost under load)
		HTTPClient: sdkhttp.InMemoryBodies(awshttp.NewBuildableClient()),
	}
}

// Script finds test/emulator/emulator.py: beside this package's source (the repository root is
// its parent, also when the test/ module uses it), or in a directory above the working one.
func Script() (string, error) {
	var roots []string
	if _, file, _, ok := runtime.Caller(0); ok {
		roots = append(roots, filepath.Dir(filepath.Dir(file)))
	}
	if dir, err := os.Getwd(); err == nil {
		for ; filepath.Dir(dir) != dir; dir = filepath.Dir(dir) {
			roots = append(roots, dir)
		}
	}
	for _, root := range roots {
		script := filepath.Join(root, "test", "emulator", "emulator.py")
		if _, err := os.Stat(script); err == nil {
			return filepath.Abs(script)
		}
	}
	return "", errors.New("test/emulator/emulator.py not found beside this package or above the working directory")
}

func seconds(d time.Duration) string {
	return fmt.Sprintf("%g", d.Seconds())
}

// tailBuffer keeps the last max bytes written to it; safe for concurrent use.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > b.max {
		b.buf = append([]byte(nil), b.buf[len(b.buf)-b.max:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
