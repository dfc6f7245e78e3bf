package acctest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
)

// proxied returns SDK options pointing every client at the proxy, with maxAttempts attempts
// and the standard retryer's error classification (10 ms backoff).
func proxiedConfig(p *FaultProxy, maxAttempts int) aws.Config {
	cfg := emulator.AWSConfig(context.Background(), p.URL)
	cfg.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = maxAttempts
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 10 * time.Millisecond, nil })
		})
	}
	return cfg
}

func TestFaultProxyIdentifyCall(t *testing.T) {
	auth := func(svc string) string {
		return "AWS4-HMAC-SHA256 Credential=test/20250101/eu-west-1/" + svc + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc"
	}
	cases := []struct {
		name, method, path, ctype, target, auth, body string
		want                                          ProxyCall
	}{
		{"awsQuery", "POST", "/", "application/x-www-form-urlencoded; charset=utf-8", "", auth("elasticache"), "Action=CreateReplicationGroup&Version=2015-02-02",
			ProxyCall{Service: "elasticache", Region: "eu-west-1", Operation: "CreateReplicationGroup", Protocol: "query"}},
		{"ec2", "POST", "/", "application/x-www-form-urlencoded", "", auth("ec2"), "Action=DeleteSecurityGroup&GroupId=sg-1",
			ProxyCall{Service: "ec2", Region: "eu-west-1", Operation: "DeleteSecurityGroup", Protocol: "ec2"}},
		{"awsJson", "POST", "/", "application/x-amz-json-1.1", "AWSPriceListService.GetProducts", auth("pricing"), "{}",
			ProxyCall{Service: "pricing", Region: "eu-west-1", Operation: "GetProducts", Protocol: "json"}},
		{"rpcv2 CBOR", "POST", "/service/GraniteServiceVersion20100801/operation/PutMetricAlarm", "application/cbor", "", auth("monitoring"), "\xa0",
			ProxyCall{Service: "cloudwatch", Region: "eu-west-1", Operation: "PutMetricAlarm", Protocol: "cbor"}},
		{"unsigned CBOR", "POST", "/service/GraniteServiceVersion20100801/operation/DescribeAlarms", "application/cbor", "", "", "",
			ProxyCall{Service: "cloudwatch", Operation: "DescribeAlarms", Protocol: "cbor"}},
		{"query in URL", "GET", "/?Action=GetCallerIdentity&Version=2011-06-15", "", "", auth("sts"), "",
			ProxyCall{Service: "sts", Region: "eu-west-1", Operation: "GetCallerIdentity", Protocol: "query"}},
		{"anything else", "GET", "/_emulator/health", "", "", "", "",
			ProxyCall{Operation: "GET /_emulator/health", Protocol: "rest"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
			if c.ctype != "" {
				r.Header.Set("Content-Type", c.ctype)
			}
			if c.target != "" {
				r.Header.Set("X-Amz-Target", c.target)
			}
			if c.auth != "" {
				r.Header.Set("Authorization", c.auth)
			}
			got := IdentifyCall(r, []byte(c.body))
			got.Time = time.Time{}
			if got != c.want {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

// TestFaultProxyErrorsAsTheSDKSeesThem checks that every protocol's throttling error reaches
// the real SDK clients with the code AWS uses and is classified as throttling (so retried).
func TestFaultProxyErrorsAsTheSDKSeesThem(t *testing.T) {
	p := NewFaultProxy(t, endpoint(t), 1)
	ctx := testCtx(t)
	cfg := proxiedConfig(p, 1)
	// The code each service answers a throttled call with.
	codes := map[string]string{"elasticache": "Throttling", "ec2": "RequestLimitExceeded", "cloudwatch": "Throttling", "pricing": "ThrottlingException", "sts": "Throttling"}
	calls := readEachService(ctx, cfg)
	for service, code := range codes {
		c := calls[service]
		t.Run(service, func(t *testing.T) {
			rule := p.AddRule(ProxyRule{Service: service, Operation: c.op, Nth: 1, Effect: Throttle})
			err := c.call()
			if got := apiCode(err); got != code {
				t.Fatalf("want API error %s, got %v", code, err)
			}
			if retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) != aws.TrueTernary {
				t.Fatalf("the SDK does not see %v as throttling", err)
			}
			if rule.Fired() != 1 {
				t.Fatalf("rule fired %d times", rule.Fired())
			}
			// The rule is used up: the next call goes through.
			if err := c.call(); err != nil {
				t.Fatalf("second call: %v", err)
			}
		})
	}
	s := p.Stats()
	if s.Throttled != len(codes) || s.Forwarded != len(codes) || s.Calls != 2*len(codes) || s.Faults() != len(codes) {
		t.Fatalf("stats: %+v", s)
	}
	if s.ByOperation["cloudwatch/DescribeAlarms throttle"] != 1 || s.ByOperation["cloudwatch/DescribeAlarms forward"] != 1 {
		t.Fatalf("by operation: %v", s.ByOperation)
	}
}

func TestFaultProxyNthCountAndServerErrors(t *testing.T) {
	p := NewFaultProxy(t, endpoint(t), 1)
	ctx := testCtx(t)
	ec := elasticache.NewFromConfig(proxiedConfig(p, 1))
	describe := func() error {
		_, err := ec.DescribeCacheSubnetGroups(ctx, &elasticache.DescribeCacheSubnetGroupsInput{})
		return err
	}
	// Calls 2 and 3 fail with 503; 1 and 4 go through.
	rule := p.AddRule(ProxyRule{Service: "elasticache", Operation: "DescribeCacheSubnetGroups", Nth: 2, Count: 2, Effect: ServerError, Status: 503})
	// A rule for another operation never matches.
	other := p.AddRule(ProxyRule{Service: "elasticache", Operation: "CreateReplicationGroup", Effect: Reset})
	var got []string
	for i := 0; i < 4; i++ {
		err := describe()
		var re *smithyhttp.ResponseError
		switch {
		case err == nil:
			got = append(got, "ok")
		case errors.As(err, &re):
			got = append(got, fmt.Sprintf("%d %s", re.HTTPStatusCode(), apiCode(err)))
			if retry.IsErrorRetryables(retry.DefaultRetryables).IsErrorRetryable(err) != aws.TrueTernary {
				t.Errorf("a 503 is not retryable for the SDK: %v", err)
			}
		default:
			got = append(got, err.Error())
		}
	}
	if want := "ok,503 ServiceUnavailable,503 ServiceUnavailable,ok"; strings.Join(got, ",") != want {
		t.Fatalf("got %s, want %s", strings.Join(got, ","), want)
	}
	if rule.Fired() != 2 || other.Fired() != 0 {
		t.Fatalf("fired: %d, %d", rule.Fired(), other.Fired())
	}
	if s := p.Stats(); s.ServerErrors != 2 || s.Forwarded != 2 {
		t.Fatalf("stats: %+v", s)
	}
	calls := p.Calls()
	if len(calls) != 4 || calls[1].Effect != "server-error" || calls[1].Status != 503 || calls[0].Effect != "forward" || calls[0].Status != 200 {
		t.Fatalf("calls: %+v", calls)
	}

	// With a custom code the SDK sees exactly that code; with the default retryer it retries
	// through two 500s.
	p.ClearRules()
	p.AddRule(ProxyRule{Service: "elasticache", Count: 1, Effect: ServerError, ErrorCode: "InternalServerError", Message: "boom"})
	if err := describe(); apiCode(err) != "InternalServerError" || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("custom code: %v", err)
	}
	p.AddRule(ProxyRule{Service: "elasticache", Count: 2, Effect: ServerError})
	retrying := elasticache.NewFromConfig(proxiedConfig(p, 3))
	if _, err := retrying.DescribeCacheSubnetGroups(ctx, &elasticache.DescribeCacheSubnetGroupsInput{}); err != nil {
		t.Fatalf("the SDK did not retry through two 500s: %v", err)
	}
}

func TestFaultProxyResetAndLatency(t *testing.T) {
	p := NewFaultProxy(t, endpoint(t), 1)
	ctx := testCtx(t)

	// One attempt: the reset surfaces as a connection error the SDK classifies as retryable.
	p.AddRule(ProxyRule{Service: "ec2", Operation: "DescribeVpcs", Count: 1, Effect: Reset})
	_, err := ec2.NewFromConfig(proxiedConfig(p, 1)).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	if err == nil {
		t.Fatal("a reset connection gave an answer")
	}
	if retry.IsErrorRetryables(retry.DefaultRetryables).IsErrorRetryable(err) != aws.TrueTernary {
		t.Fatalf("a reset is not retryable for the SDK: %v", err)
	}
	// Three attempts: two resets, then the answer.
	p.AddRule(ProxyRule{Service: "ec2", Operation: "DescribeVpcs", Count: 2, Effect: Reset})
	if _, err := ec2.NewFromConfig(proxiedConfig(p, 3)).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}); err != nil {
		t.Fatalf("the SDK did not retry through resets: %v", err)
	}
	if s := p.Stats(); s.Resets != 3 || s.Forwarded != 1 {
		t.Fatalf("stats: %+v", s)
	}

	// Latency adds up, then the call is answered upstream.
	p.ClearRules()
	p.ResetStats()
	p.AddRule(ProxyRule{Service: "sts", Effect: Latency, Latency: 200 * time.Millisecond})
	p.AddRule(ProxyRule{Service: "*", Operation: "GetCallerIdentity", Effect: Latency, Latency: 100 * time.Millisecond})
	start := time.Now()
	if _, err := sts.NewFromConfig(proxiedConfig(p, 1)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Fatalf("call took %s, want >= 300ms", d)
	}
	if s := p.Stats(); s.Delayed != 1 || s.Forwarded != 1 || s.Faults() != 0 {
		t.Fatalf("stats: %+v", s)
	}
	if c := p.Calls(); len(c) != 1 || c[0].Effect != "latency+forward" {
		t.Fatalf("calls: %+v", c)
	}
}

// TestFaultProxyAfterUpstream: the call takes effect upstream but its answer is lost.
func TestFaultProxyAfterUpstream(t *testing.T) {
	e := RequireEmulator(t)
	p := NewFaultProxy(t, endpoint(t), 1)
	ctx := testCtx(t)
	n := newTestNet(t)
	name := uniqueName("lost")
	p.AddRule(ProxyRule{Service: "elasticache", Operation: "CreateCacheSubnetGroup", Count: 1, Effect: ServerError, AfterUpstream: true})
	ec := elasticache.NewFromConfig(proxiedConfig(p, 1))
	_, err := ec.CreateCacheSubnetGroup(ctx, &elasticache.CreateCacheSubnetGroupInput{
		CacheSubnetGroupName: aws.String(name), CacheSubnetGroupDescription: aws.String("x"), SubnetIds: n.SubnetIDs,
	})
	if apiCode(err) != "InternalFailure" {
		t.Fatalf("want the injected 500, got %v", err)
	}
	t.Cleanup(func() {
		_, _ = ecClient(t).DeleteCacheSubnetGroup(context.Background(), &elasticache.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String(name)})
	})
	res, err := e.Resources(ctx)
	mustNoErr(t, err)
	found := false
	for _, sg := range res.SubnetGroups {
		found = found || sg.ID == name
	}
	if !found {
		t.Fatalf("the call was not forwarded before its answer was dropped: %v", res.All())
	}
	if s := p.Stats(); s.Forwarded != 1 || s.ServerErrors != 1 {
		t.Fatalf("stats: %+v", s)
	}
}

// TestFaultProxyProbabilityIsSeeded: the same seed fails the same calls; about the asked
// share fails.
func TestFaultProxyProbabilityIsSeeded(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "<ok/>") }))
	defer upstream.Close()
	run := func(seed uint64) (string, ProxyStats) {
		p, err := StartFaultProxy(FaultProxyOptions{Target: upstream.URL, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		p.AddRule(ProxyRule{Service: "elasticache", Probability: 0.3, Effect: Throttle})
		var pattern strings.Builder
		for i := 0; i < 200; i++ {
			req, _ := http.NewRequest("POST", p.URL, strings.NewReader("Action=DescribeReplicationGroups"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/elasticache/aws4_request")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 400 {
				if !strings.Contains(string(body), "<Code>Throttling</Code>") {
					t.Fatalf("throttling body: %s", body)
				}
				pattern.WriteByte('x')
			} else {
				pattern.WriteByte('.')
			}
		}
		return pattern.String(), p.Stats()
	}
	a, sa := run(42)
	b, _ := run(42)
	c, _ := run(7)
	if a != b {
		t.Fatalf("same seed, different faults:\n%s\n%s", a, b)
	}
	if a == c {
		t.Fatal("different seeds, same faults")
	}
	if sa.Throttled < 35 || sa.Throttled > 85 || sa.Throttled+sa.Forwarded != 200 {
		t.Fatalf("30%% of 200 calls: %+v", sa)
	}
}

// TestFaultProxyResign: with Resign the upstream sees its own Host and a fresh signature
// for the same service and region, as AWS requires.
func TestFaultProxyResign(t *testing.T) {
	var mu sync.Mutex
	var seen *http.Request
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = r.Clone(context.Background())
		mu.Unlock()
		_, _ = io.WriteString(w, "<ok/>")
	}))
	defer upstream.Close()
	u, _ := url.Parse(upstream.URL)
	var askedFor []string
	p, err := StartFaultProxy(FaultProxyOptions{
		Upstream: func(service, region string) string {
			askedFor = append(askedFor, service+"@"+region)
			return upstream.URL
		},
		Resign: credentials.NewStaticCredentialsProvider("AKIARESIGNED", "secret", "session"),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	req, _ := http.NewRequest("POST", p.URL+"/service/GraniteServiceVersion20100801/operation/DescribeAlarms", strings.NewReader(""))
	req.Header.Set("Content-Type", "application/cbor")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=client/20250101/eu-west-1/monitoring/aws4_request, SignedHeaders=host, Signature=abc")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	mu.Lock()
	defer mu.Unlock()
	if seen == nil || seen.Host != u.Host {
		t.Fatalf("upstream Host: %v", seen)
	}
	if a := seen.Header.Get("Authorization"); !strings.Contains(a, "Credential=AKIARESIGNED/") || !strings.Contains(a, "/eu-west-1/monitoring/aws4_request") {
		t.Fatalf("not re-signed: %s", a)
	}
	if seen.Header.Get("X-Amz-Security-Token") != "session" || seen.Header.Get("X-Fault-Proxy-Resign-Error") != "" {
		t.Fatalf("headers: %v", seen.Header)
	}
	if len(askedFor) != 1 || askedFor[0] != "monitoring@eu-west-1" {
		t.Fatalf("upstream asked for %v", askedFor)
	}
}
