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
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
)

// The emulator tests of this package share one emulator, started by the harness (run) under
// TF_ACC, or the endpoint named by ELASTICACHE_TEST_ENDPOINT, in which case tests that steer
// the emulator are skipped. Without TF_ACC they skip, as every acceptance test does
// (SkipUnlessAcc).
var (
	runID       = randomSuffix()
	nameCounter atomic.Int64
)

func TestMain(m *testing.M) {
	// These tests exercise the API only: no engines behind the caches they create.
	os.Exit(run(m, EmulatorOptions{DataPlane: "off"}, reportEmulator))
}

// reportEmulator fails the run on transport glitches, says what the tests left behind, and
// shows the emulator's stderr when something failed.
func reportEmulator(code int) int {
	if Local == nil {
		return code
	}
	if n := transportGlitches.Load(); n > 0 {
		fmt.Fprintf(os.Stderr, "acctest: %d call(s) failed below HTTP (last: %v); the emulator must answer every request cleanly\n", n, lastTransportGlitch.Load())
		code = 1
	}
	if code == 0 {
		// The emulator tests clean up after themselves; say so when something is left.
		if res, err := Local.Resources(context.Background()); err == nil && len(res.All()) > 0 {
			fmt.Fprintf(os.Stderr, "acctest: left behind in the emulator: %v\n", res.All())
		}
	}
	if tail := Local.Stderr(); code != 0 && tail != "" {
		fmt.Fprintf(os.Stderr, "acctest: emulator stderr:\n%s\n", tail)
	}
	return code
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
	return Endpoint
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
	e := RequireEmulator(t)
	mustNoErr(t, e.SetDelays(context.Background(), d))
	t.Cleanup(func() { _ = e.SetDelays(context.Background(), EmulatorOptions{}) })
}

// fastWaiter are options for the SDK waiters that poll every 100-300 ms.
const (
	waitMin = 100 * time.Millisecond
	waitMax = 300 * time.Millisecond
)

// mustFault stops the test unless err is the SDK's typed fault T (a pointer type such as
// *types.InvalidParameterValueException); what names the call that must fail.
func mustFault[T error](t *testing.T, err error, what string) {
	t.Helper()
	var fault T
	if !errors.As(err, &fault) {
		t.Fatalf("%s: want %T, got %v", what, fault, err)
	}
}

// expectFault is mustFault that lets the test go on.
func expectFault[T error](t *testing.T, err error, what string) {
	t.Helper()
	var fault T
	if !errors.As(err, &fault) {
		t.Errorf("%s: want %T, got %v", what, fault, err)
	}
}

// errOf keeps the error of a call's (output, error).
func errOf[T any](_ T, err error) error { return err }

// pager is an SDK paginator; NextPage takes the service's option functions.
type pager[Out, Opt any] interface {
	HasMorePages() bool
	NextPage(context.Context, ...func(*Opt)) (*Out, error)
}

// readPages reads every page of p, stopping the test on an error or on a page of more than
// most items, and returns each page's items (items picks them out of a page).
func readPages[Out, Opt, T any](t *testing.T, p pager[Out, Opt], most int, items func(*Out) []T) [][]T {
	t.Helper()
	var pages [][]T
	for p.HasMorePages() {
		page, err := p.NextPage(testCtx(t))
		mustNoErr(t, err)
		if got := items(page); len(got) <= most {
			pages = append(pages, got)
		} else {
			t.Fatalf("page of %d, at most %d asked for", len(got), most)
		}
	}
	return pages
}

// serviceCall is one harmless read of a service (op names it).
type serviceCall struct {
	op   string
	call func() error
}

// readEachService is one harmless read of every service the emulator serves, made with cfg:
// what a test calls when it needs each service to answer, fail or refuse.
func readEachService(ctx context.Context, cfg aws.Config) map[string]serviceCall {
	return map[string]serviceCall{
		"elasticache": {"DescribeCacheSubnetGroups", func() error {
			return errOf(elasticache.NewFromConfig(cfg).DescribeCacheSubnetGroups(ctx, &elasticache.DescribeCacheSubnetGroupsInput{}))
		}},
		"ec2": {"DescribeVpcs", func() error { return errOf(ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})) }},
		"cloudwatch": {"DescribeAlarms", func() error {
			return errOf(cloudwatch.NewFromConfig(cfg).DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{}))
		}},
		"pricing": {"DescribeServices", func() error {
			return errOf(pricing.NewFromConfig(cfg).DescribeServices(ctx, &pricing.DescribeServicesInput{ServiceCode: aws.String("AmazonElastiCache")}))
		}},
		"sts": {"GetCallerIdentity", func() error {
			return errOf(sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
		}},
		"sns": {"ListTopics", func() error { return errOf(sns.NewFromConfig(cfg).ListTopics(ctx, &sns.ListTopicsInput{})) }},
		"secretsmanager": {"ListSecrets", func() error {
			return errOf(secretsmanager.NewFromConfig(cfg).ListSecrets(ctx, &secretsmanager.ListSecretsInput{}))
		}},
	}
}
