package acctest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/encoding/cbor"
)

// FaultProxy is a fault-injecting HTTP reverse proxy for AWS API calls. It sits between the
// provider (or any AWS SDK client) and an endpoint — the bundled emulator, LocalStack or AWS —
// and, following its rules, answers some calls itself with a throttling error, a 5xx error or a
// reset connection, or delays them, before (or after) forwarding them. Point a client at
// FaultProxy.URL the way a user points it at LocalStack: the provider block's `endpoints {}`,
// AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_<SERVICE>.
//
// Each call is identified as the emulator identifies it: the service from the SigV4
// credential scope of the Authorization header (`.../us-east-1/elasticache/aws4_request`;
// CloudWatch signs as `monitoring`), the operation from the form's Action (awsQuery, EC2), the
// X-Amz-Target header (awsJson) or the `/service/<Svc>/operation/<Op>` path (Smithy RPC v2 CBOR).
//
// Errors carry the protocol's own error body, so an SDK reads the code it would read from AWS
// and its retryer treats it as AWS's would: awsQuery XML `Throttling`, EC2 XML
// `RequestLimitExceeded`, awsJson `ThrottlingException`, RPC v2 CBOR `ThrottlingException`
// with the `x-amzn-query-error` header of query-compatible services.
//
// Against AWS itself SigV4 signs the Host header, so set Resign (and Upstream) to have the
// proxy re-sign each forwarded request for the real host; the emulator and LocalStack accept
// any Host and need neither.
//
// A FaultProxy is safe for concurrent use; everything it did is counted (Stats, Calls).
type FaultProxy struct {
	// URL is where clients send their calls, e.g. http://127.0.0.1:41234.
	URL string

	opts     FaultProxyOptions
	target   *url.URL
	listener net.Listener
	server   *http.Server
	proxy    *httputil.ReverseProxy

	mu    sync.Mutex
	rules []*ProxyRule
	rng   *rand.Rand
	stats ProxyStats
	calls []ProxyCall
}

// FaultProxyOptions configure StartFaultProxy.
type FaultProxyOptions struct {
	// Target is the endpoint calls are forwarded to (e.g. acctest.Endpoint).
	Target string
	// Upstream, when set, picks the endpoint per call from its service signing name and
	// region (for AWS: "https://" + service + "." + region + ".amazonaws.com"); "" falls back
	// to Target.
	Upstream func(service, region string) string
	// Seed seeds the random source of probabilistic rules, so a run can be repeated.
	Seed uint64
	// Resign, when set, re-signs every forwarded request with these credentials for the
	// upstream host (needed against AWS; see the type's documentation).
	Resign aws.CredentialsProvider
}

// ProxyEffect is what a rule does to a call it fires on.
type ProxyEffect int

const (
	// Throttle answers with the protocol's throttling error (HTTP 400; EC2: 503
	// RequestLimitExceeded), which SDK retryers retry with backoff.
	Throttle ProxyEffect = iota + 1
	// ServerError answers with an HTTP 5xx error (Status, default 500 InternalFailure).
	ServerError
	// Reset closes the client's connection without an answer (TCP RST where possible).
	Reset
	// Latency delays the call by Latency, then lets the next rules (or the upstream) answer.
	Latency
)

// ProxyRule selects calls and says what to do to them.
//
// A call matches when Service and Operation match ("" or "*" match anything). Among matching
// calls a rule fires:
//   - with Nth > 0: on the Nth matching call (counted from when the rule was added) and the
//     Count-1 matching calls after it (Count defaults to 1);
//   - with Nth = 0: on every matching call, at most Count times (0: no limit);
//
// and, when Probability is in (0, 1), only with that probability (seeded by
// FaultProxyOptions.Seed). Rules are tried in the order they were added: Latency rules add up
// and the call goes on; the first error rule that fires answers the call.
type ProxyRule struct {
	Service     string // SigV4 signing name: elasticache, ec2, monitoring or cloudwatch, sts, ...
	Operation   string // e.g. CreateReplicationGroup
	Nth         int
	Count       int
	Probability float64
	Effect      ProxyEffect

	// Status is the HTTP status of ServerError (default 500) or Throttle (default per protocol).
	Status int
	// ErrorCode and Message override the error's code and message (e.g. "ServiceUnavailable").
	ErrorCode string
	Message   string
	// Latency is the delay of a Latency rule.
	Latency time.Duration
	// AfterUpstream makes a ServerError or Reset happen after the call was forwarded and
	// answered: the call takes effect upstream, but the client never hears of it (a lost
	// response, which makes the client retry a call that already succeeded).
	AfterUpstream bool

	matched int
	fired   int
}

// Fired returns how many times the rule fired.
func (r *ProxyRule) Fired() int { return r.fired }

// ProxyStats counts what the proxy did.
type ProxyStats struct {
	Calls        int // calls received
	Forwarded    int // calls forwarded upstream
	Throttled    int
	ServerErrors int
	Resets       int
	Delayed      int
	// ByOperation counts calls per "service/Operation" with the effect applied, e.g.
	// "elasticache/CreateReplicationGroup throttle" or ".../DescribeReplicationGroups forward".
	ByOperation map[string]int
}

// Faults is the number of calls the proxy failed (throttled, 5xx or reset).
func (s ProxyStats) Faults() int { return s.Throttled + s.ServerErrors + s.Resets }

// ProxyCall records one call that went through the proxy.
type ProxyCall struct {
	Time      time.Time
	Service   string
	Region    string
	Operation string
	Protocol  string // query, ec2, json, cbor, rest
	Effect    string // forward, throttle, server-error, reset; "+latency" when delayed
	Status    int    // HTTP status the client got (0 for a reset)
}

// StartFaultProxy starts a proxy on a free loopback port forwarding to opts.Target (or
// opts.Upstream). Stop it with Close; tests usually `defer p.Close()` or use NewFaultProxy.
func StartFaultProxy(opts FaultProxyOptions) (*FaultProxy, error) {
	if opts.Target == "" && opts.Upstream == nil {
		return nil, errors.New("fault proxy: Target or Upstream is required")
	}
	p := &FaultProxy{opts: opts, rng: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))}
	p.stats.ByOperation = map[string]int{}
	if opts.Target != "" {
		u, err := url.Parse(opts.Target)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("fault proxy: target %q is not an absolute URL", opts.Target)
		}
		p.target = u
	}
	p.proxy = &httputil.ReverseProxy{
		Rewrite: p.rewrite,
		// The SDK decides about retries from what it receives: pass upstream failures through
		// as a 502 the SDK retries, never as a hang.
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, "fault proxy: upstream: "+err.Error(), http.StatusBadGateway)
		},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p.listener = ln
	p.URL = "http://" + ln.Addr().String()
	p.server = &http.Server{Handler: http.HandlerFunc(p.serve), ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = p.server.Serve(ln) }()
	return p, nil
}

// NewFaultProxy starts a proxy in front of target for one test and closes it when the test ends.
func NewFaultProxy(t interface {
	Helper()
	Fatalf(string, ...any)
	Cleanup(func())
}, target string, seed uint64) *FaultProxy {
	t.Helper()
	p, err := StartFaultProxy(FaultProxyOptions{Target: target, Seed: seed})
	if err != nil {
		t.Fatalf("start fault proxy: %v", err)
	}
	t.Cleanup(p.Close)
	return p
}

// Close stops the proxy (calls in flight are cut off).
func (p *FaultProxy) Close() {
	if p == nil || p.server == nil {
		return
	}
	_ = p.server.Close()
}

// AddRule adds a rule and returns it (its Fired count is live).
func (p *FaultProxy) AddRule(r ProxyRule) *ProxyRule {
	p.mu.Lock()
	defer p.mu.Unlock()
	rule := r
	rule.matched, rule.fired = 0, 0
	p.rules = append(p.rules, &rule)
	return &rule
}

// ClearRules removes every rule: from now on calls are only forwarded.
func (p *FaultProxy) ClearRules() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = nil
}

// Stats returns a copy of the counters.
func (p *FaultProxy) Stats() ProxyStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.ByOperation = make(map[string]int, len(p.stats.ByOperation))
	for k, v := range p.stats.ByOperation {
		s.ByOperation[k] = v
	}
	return s
}

// Calls returns every call seen so far, in arrival order.
func (p *FaultProxy) Calls() []ProxyCall {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]ProxyCall(nil), p.calls...)
}

// ResetStats clears the counters and the call list (rules keep their own counts).
func (p *FaultProxy) ResetStats() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stats = ProxyStats{ByOperation: map[string]int{}}
	p.calls = nil
}

// proxyCallKey is the request context key carrying the identified call to rewrite.
type proxyCallKey struct{}

func (p *FaultProxy) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	if err != nil {
		http.Error(w, "fault proxy: read request: "+err.Error(), http.StatusBadRequest)
		return
	}
	call := IdentifyCall(r, body)
	latency, fault := p.decide(&call)
	if latency > 0 {
		timer := time.NewTimer(latency)
		select {
		case <-timer.C:
		case <-r.Context().Done():
			timer.Stop()
			return
		}
	}
	if fault != nil && !fault.AfterUpstream {
		p.answerFault(w, call, fault)
		return
	}

	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r = r.WithContext(context.WithValue(r.Context(), proxyCallKey{}, &call))
	if fault != nil { // AfterUpstream: the call takes effect, its answer is lost
		rec := &discardWriter{header: http.Header{}}
		p.proxy.ServeHTTP(rec, r)
		p.count(func(s *ProxyStats) { s.Forwarded++ })
		p.answerFault(w, call, fault)
		return
	}
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	p.proxy.ServeHTTP(sw, r)
	call.Status = sw.status
	p.record(call, func(s *ProxyStats) { s.Forwarded++ })
}

// decide applies the rules to a call: the total latency to add and the error rule that
// fires, if any. It updates the rules' counters.
func (p *FaultProxy) decide(call *ProxyCall) (time.Duration, *ProxyRule) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stats.Calls++
	var latency time.Duration
	for _, r := range p.rules {
		if !matches(r.Service, call.Service) && !(call.Service == "cloudwatch" && matches(r.Service, "monitoring")) {
			continue
		}
		if !matches(r.Operation, call.Operation) {
			continue
		}
		r.matched++
		if !r.due() {
			continue
		}
		if r.Probability > 0 && r.Probability < 1 && p.rng.Float64() >= r.Probability {
			continue
		}
		r.fired++
		if r.Effect == Latency {
			latency += r.Latency
			continue
		}
		if latency > 0 {
			p.stats.Delayed++
			call.Effect = "latency+"
		}
		return latency, r
	}
	if latency > 0 {
		p.stats.Delayed++
		call.Effect = "latency+"
	}
	return latency, nil
}

// due reports whether the rule's Nth/Count window includes its latest match.
func (r *ProxyRule) due() bool {
	if r.Nth > 0 {
		count := max(r.Count, 1)
		return r.matched >= r.Nth && r.matched < r.Nth+count
	}
	return r.Count == 0 || r.fired < r.Count
}

func matches(pattern, value string) bool {
	return pattern == "" || pattern == "*" || strings.EqualFold(pattern, value)
}

func (p *FaultProxy) count(f func(*ProxyStats)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(&p.stats)
}

func (p *FaultProxy) record(call ProxyCall, f func(*ProxyStats)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(&p.stats)
	effect := strings.TrimPrefix(call.Effect, "latency+")
	if effect == "" {
		effect = "forward"
		call.Effect += "forward"
	}
	p.stats.ByOperation[call.Service+"/"+call.Operation+" "+effect]++
	p.calls = append(p.calls, call)
}

func (p *FaultProxy) answerFault(w http.ResponseWriter, call ProxyCall, r *ProxyRule) {
	switch r.Effect {
	case Reset:
		call.Effect += "reset"
		call.Status = 0
		p.record(call, func(s *ProxyStats) { s.Resets++ })
		resetConnection(w)
	case Throttle:
		status, header, body := ThrottlingError(call.Protocol, r.Status, r.ErrorCode, r.Message)
		call.Effect += "throttle"
		call.Status = status
		p.record(call, func(s *ProxyStats) { s.Throttled++ })
		writeAnswer(w, status, header, body)
	default:
		status := r.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		code := r.ErrorCode
		if code == "" {
			code = "InternalFailure"
			if status == http.StatusServiceUnavailable {
				code = "ServiceUnavailable"
			}
			if call.Protocol == "ec2" && status == http.StatusInternalServerError {
				code = "InternalError"
			}
		}
		msg := r.Message
		if msg == "" {
			msg = "We encountered an internal error. Please try again. (injected by the fault proxy)"
		}
		header, body := ErrorBody(call.Protocol, code, msg, status)
		call.Effect += "server-error"
		call.Status = status
		p.record(call, func(s *ProxyStats) { s.ServerErrors++ })
		writeAnswer(w, status, header, body)
	}
}

func writeAnswer(w http.ResponseWriter, status int, header http.Header, body []byte) {
	for k, vs := range header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// resetConnection takes the connection over and closes it with SO_LINGER 0, so the client sees
// "connection reset by peer" with no answer at all.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// rewrite points a request at its upstream; with Resign it signs it again for that host.
func (p *FaultProxy) rewrite(pr *httputil.ProxyRequest) {
	call, _ := pr.In.Context().Value(proxyCallKey{}).(*ProxyCall)
	target := p.target
	if p.opts.Upstream != nil && call != nil {
		if u, err := url.Parse(p.opts.Upstream(signingName(call.Service), call.Region)); err == nil && u.Host != "" {
			target = u
		}
	}
	pr.SetURL(target)
	pr.Out.Header.Del("X-Forwarded-For")
	if p.opts.Resign == nil {
		// SigV4 signed the Host the client used: keep it (the emulator and LocalStack ignore it).
		pr.Out.Host = pr.In.Host
		return
	}
	if call == nil {
		return
	}
	if err := p.resign(pr.Out, call); err != nil {
		// The upstream answers the unsigned call with an auth error the test will show.
		pr.Out.Header.Set("X-Fault-Proxy-Resign-Error", err.Error())
	}
}

func (p *FaultProxy) resign(out *http.Request, call *ProxyCall) error {
	ctx := out.Context()
	creds, err := p.opts.Resign.Retrieve(ctx)
	if err != nil {
		return err
	}
	var body []byte
	if out.Body != nil {
		body, _ = io.ReadAll(out.Body)
		out.Body = io.NopCloser(bytes.NewReader(body))
	}
	sum := sha256.Sum256(body)
	out.Host = out.URL.Host
	for _, h := range []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"} {
		out.Header.Del(h)
	}
	return v4.NewSigner().SignHTTP(ctx, creds, out, hex.EncodeToString(sum[:]), signingName(call.Service), call.Region, time.Now())
}

// signingName maps the service names the proxy reports back to SigV4 signing names.
func signingName(service string) string {
	if service == "cloudwatch" {
		return "monitoring"
	}
	return service
}

var (
	credentialScope = regexp.MustCompile(`Credential=([^/\s,]+)/\d{8}/([^/]+)/([^/]+)/aws4_request`)
	rpcV2Path       = regexp.MustCompile(`^/service/([^/]+)/operation/([^/]+)$`)
)

// IdentifyCall names an AWS API call's service (CloudWatch's `monitoring` signing name is
// reported as `cloudwatch`), region, operation and protocol from its request and body.
func IdentifyCall(r *http.Request, body []byte) ProxyCall {
	c := ProxyCall{Time: time.Now(), Protocol: "rest"}
	if m := credentialScope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		c.Region, c.Service = m[2], strings.ToLower(m[3])
		if c.Service == "monitoring" {
			c.Service = "cloudwatch"
		}
	}
	ctype := r.Header.Get("Content-Type")
	switch m := rpcV2Path.FindStringSubmatch(r.URL.Path); {
	case m != nil:
		c.Protocol, c.Operation = "cbor", m[2]
		if c.Service == "" && m[1] == "GraniteServiceVersion20100801" {
			c.Service = "cloudwatch"
		}
	case r.Header.Get("X-Amz-Target") != "":
		target := r.Header.Get("X-Amz-Target")
		c.Protocol, c.Operation = "json", target[strings.LastIndex(target, ".")+1:]
	case strings.HasPrefix(ctype, "application/x-www-form-urlencoded"):
		c.Protocol = "query"
		if c.Service == "ec2" {
			c.Protocol = "ec2"
		}
		if form, err := url.ParseQuery(string(body)); err == nil {
			c.Operation = form.Get("Action")
		}
	default:
		if r.URL.Query().Get("Action") != "" {
			c.Protocol, c.Operation = "query", r.URL.Query().Get("Action")
		} else {
			c.Operation = r.Method + " " + r.URL.Path
		}
	}
	return c
}

// ThrottlingError renders the throttling error of a protocol: status (0 picks the protocol's
// usual one), headers and body. code and message override the defaults.
func ThrottlingError(protocol string, status int, code, message string) (int, http.Header, []byte) {
	if message == "" {
		message = "Rate exceeded (injected by the fault proxy)"
	}
	switch protocol {
	case "ec2":
		if code == "" {
			code = "RequestLimitExceeded"
		}
		if status == 0 {
			status = http.StatusServiceUnavailable
		}
	case "json", "cbor":
		if code == "" {
			code = "ThrottlingException"
		}
	case "rest":
		if code == "" {
			code = "ThrottlingException"
		}
		if status == 0 {
			status = http.StatusTooManyRequests
		}
	default:
		if code == "" {
			code = "Throttling"
		}
	}
	if status == 0 {
		status = http.StatusBadRequest
	}
	header, body := ErrorBody(protocol, code, message, status)
	return status, header, body
}

// ErrorBody renders an AWS error in a protocol's wire format: awsQuery and EC2 XML, awsJson
// (`__type` and X-Amzn-ErrorType), RPC v2 CBOR (`__type` and `message`). JSON and CBOR answers
// also carry `x-amzn-query-error: <Code>;<Sender|Receiver>`, which query-compatible services
// (CloudWatch) read the code from; the others ignore it. A JSON/CBOR `ThrottlingException` is
// reported as `Throttling` there, the awsQuery code SDK retryers know.
func ErrorBody(protocol, code, message string, status int) (http.Header, []byte) {
	h := http.Header{}
	h.Set("X-Amzn-Requestid", "fault-proxy-"+fmt.Sprint(time.Now().UnixNano()))
	kind := "Sender"
	if status >= 500 {
		kind = "Receiver"
	}
	queryCode := code
	if code == "ThrottlingException" {
		queryCode = "Throttling"
	}
	switch protocol {
	case "ec2":
		h.Set("Content-Type", "text/xml;charset=UTF-8")
		return h, fmt.Appendf(nil, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
			`<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>`,
			xmlEscape(code), xmlEscape(message))
	case "json", "rest":
		h.Set("Content-Type", "application/x-amz-json-1.1")
		if protocol == "rest" {
			h.Set("Content-Type", "application/json")
		}
		h.Set("X-Amzn-Errortype", code)
		h.Set("X-Amzn-Query-Error", queryCode+";"+kind)
		return h, fmt.Appendf(nil, `{"__type":%q,"message":%q}`, code, message)
	case "cbor":
		h.Set("Content-Type", "application/cbor")
		h.Set("Smithy-Protocol", "rpc-v2-cbor")
		h.Set("X-Amzn-Query-Error", queryCode+";"+kind)
		return h, cbor.Encode(cbor.Map{"__type": cbor.String(code), "message": cbor.String(message)})
	default:
		h.Set("Content-Type", "text/xml")
		return h, fmt.Appendf(nil, `<ErrorResponse><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`,
			kind, xmlEscape(code), xmlEscape(message))
	}
}

func xmlEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&apos;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// statusWriter remembers the status the upstream answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// discardWriter swallows an upstream answer (AfterUpstream faults).
type discardWriter struct{ header http.Header }

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(int)             {}
