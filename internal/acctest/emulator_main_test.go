package acctest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
)

// The emulator tests of this package share one emulator, started here under TF_ACC (or the
// endpoint named by ELASTICACHE_TEST_ENDPOINT, in which case tests that steer the emulator are
// skipped). Without TF_ACC they skip, as every acceptance test does (SkipUnlessAcc).
var (
	testEmu      *Emulator // nil when running against an external endpoint
	testEndpoint string
	runID        = randomSuffix()
	nameCounter  atomic.Int64
)

func TestMain(m *testing.M) {
	os.Exit(runEmulatorTests(m))
}

func runEmulatorTests(m *testing.M) int {
	if os.Getenv("TF_ACC") == "" {
		return m.Run()
	}
	testEndpoint = os.Getenv("ELASTICACHE_TEST_ENDPOINT")
	if testEndpoint == "" {
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		// These tests exercise the API only: no engines behind the caches they create.
		e, err := emulator.Start(ctx, EmulatorOptions{DataPlane: "off"})
		cancel()
		if err != nil {
			fmt.Fprintln(os.Stderr, "acctest: cannot start the emulator:", err)
			return 1
		}
		defer e.Stop()
		fmt.Fprintf(os.Stderr, "acctest: emulator at %s ready in %s\n", e.URL, time.Since(start).Round(10*time.Millisecond))
		testEmu, testEndpoint = e, e.URL
		if Local == nil && Endpoint == "" {
			Local, Endpoint = e, e.URL
		}
	}
	code := m.Run()
	if n := transportGlitches.Load(); n > 0 && testEmu != nil {
		fmt.Fprintf(os.Stderr, "acctest: %d call(s) failed below HTTP (last: %v); the emulator must answer every request cleanly\n", n, lastTransportGlitch.Load())
		code = 1
	}
	if code == 0 && testEmu != nil {
		// The emulator tests clean up after themselves; say so when something is left.
		if res, err := testEmu.Resources(context.Background()); err == nil && len(res.All()) > 0 {
			fmt.Fprintf(os.Stderr, "acctest: left behind in the emulator: %v\n", res.All())
		}
	}
	if code != 0 && testEmu != nil {
		if tail := testEmu.Stderr(); tail != "" {
			fmt.Fprintf(os.Stderr, "acctest: emulator stderr:\n%s\n", tail)
		}
	}
	return code
}

// needEmulator skips a test that steers the bundled emulator (request log, delays, faults)
// when the run targets an external endpoint.
func needEmulator(t *testing.T) *Emulator {
	t.Helper()
	SkipUnlessAcc(t)
	if testEmu == nil {
		t.Skip("needs the bundled emulator; running against " + testEndpoint)
	}
	return testEmu
}

func randomSuffix() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// uniqueName returns a name no other test of this run uses (valid as an ElastiCache id).
func uniqueName(prefix string) string {
	return fmt.Sprintf("%s-%s-%d", prefix, runID, nameCounter.Add(1))
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func testConfig(t *testing.T) aws.Config {
	t.Helper()
	return emulator.AWSConfig(context.Background(), endpoint(t))
}

// endpoint is the endpoint of the emulator tests; it skips the test without TF_ACC.
func endpoint(t *testing.T) string {
	t.Helper()
	SkipUnlessAcc(t)
	return testEndpoint
}

// transportGlitches counts calls the SDK had to retry although the emulator did not answer
// with an error status (a reset connection, a truncated body): the emulator must never cause
// those, so TestMain fails the run when there are any.
var (
	transportGlitches   atomic.Int64
	lastTransportGlitch atomic.Value
)

// fastRetries keeps the standard retryer (same error classification) but backs off 10 ms, and
// counts transport glitches.
func fastRetries() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 10 * time.Millisecond, nil })
		o.Retryables = append([]retry.IsErrorRetryable{retry.IsErrorRetryableFunc(func(err error) aws.Ternary {
			var re *awshttp.ResponseError
			if !errors.As(err, &re) || re.HTTPStatusCode() < 300 {
				transportGlitches.Add(1)
				lastTransportGlitch.Store(err.Error())
			}
			return aws.UnknownTernary
		})}, o.Retryables...)
	})
}

func ecClient(t *testing.T) *elasticache.Client {
	return elasticache.NewFromConfig(testConfig(t), func(o *elasticache.Options) { o.Retryer = fastRetries() })
}

func ec2Client(t *testing.T) *ec2.Client {
	return ec2.NewFromConfig(testConfig(t), func(o *ec2.Options) { o.Retryer = fastRetries() })
}

func cwClient(t *testing.T) *cloudwatch.Client {
	return cloudwatch.NewFromConfig(testConfig(t), func(o *cloudwatch.Options) { o.Retryer = fastRetries() })
}

func pricingClient(t *testing.T) *pricing.Client {
	return pricing.NewFromConfig(testConfig(t), func(o *pricing.Options) { o.Retryer = fastRetries() })
}

func stsClient(t *testing.T) *sts.Client {
	return sts.NewFromConfig(testConfig(t), func(o *sts.Options) { o.Retryer = fastRetries() })
}

// testNet is the default VPC's subnets (one per AZ, sorted by AZ) and a fresh security group.
type testNet struct {
	VpcID     string
	SubnetIDs []string
	AZs       []string
	GroupID   string
}

func newTestNet(t *testing.T) testNet {
	t.Helper()
	c := ec2Client(t)
	n, err := emulator.PrepareNetwork(testCtx(t), c, uniqueName("cache-sg"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // best effort: tests that delete the group themselves make this fail
		_ = n.DeleteAppGroup(context.Background(), c)
	})
	return testNet{VpcID: n.VpcID, SubnetIDs: n.SubnetIDs, AZs: n.AZs, GroupID: n.AppGroupID}
}

// apiCode returns the error code of an AWS API error ("" for nil / non-API errors).
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// expectCode fails the test unless err is an API error with the given code.
func expectCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("expected error %s, got success", code)
	}
	if got := apiCode(err); got != code {
		t.Fatalf("expected error code %s, got %q (%v)", code, got, err)
	}
}

func mustNoErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// setDelays changes the emulator's delays for the rest of the test and restores zero delays
// afterwards.
func setDelays(t *testing.T, d EmulatorOptions) {
	t.Helper()
	e := needEmulator(t)
	mustNoErr(t, e.SetDelays(context.Background(), d))
	t.Cleanup(func() { _ = e.SetDelays(context.Background(), EmulatorOptions{}) })
}

// fastWaiter are options for the SDK waiters that poll every 100-300 ms.
const (
	waitMin = 100 * time.Millisecond
	waitMax = 300 * time.Millisecond
)
