package acctest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	pricingtypes "github.com/aws/aws-sdk-go-v2/service/pricing/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
)

func TestEmulatorSTSCallerIdentity(t *testing.T) {
	out, err := stsClient(t).GetCallerIdentity(testCtx(t), &sts.GetCallerIdentityInput{})
	mustNoErr(t, err)
	if aws.ToString(out.Account) == "" || aws.ToString(out.Arn) == "" {
		t.Fatalf("caller identity: %+v", out)
	}
	if Local != nil && aws.ToString(out.Account) != "123456789012" {
		t.Fatalf("account %s", aws.ToString(out.Account))
	}
}

// Requests signed with the rejected access key fail in every service with 403
// InvalidClientTokenId, in that service's error format.
func TestEmulatorRejectedCredentials(t *testing.T) {
	RequireEmulator(t)
	ctx := testCtx(t)
	cfg := testConfig(t)
	cfg.Credentials = credentials.NewStaticCredentialsProvider(RejectedAccessKeyID, "secret", "")
	for service, c := range readEachService(ctx, cfg) {
		err := c.call()
		if code := apiCode(err); code != "InvalidClientTokenId" {
			t.Errorf("%s: code %q (%v)", service, code, err)
			continue
		}
		var re *awshttp.ResponseError
		if !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusForbidden {
			t.Errorf("%s: not HTTP 403: %v", service, err)
		}
		if !strings.Contains(err.Error(), "The security token included in the request is invalid.") {
			t.Errorf("%s: message: %v", service, err)
		}
	}
}

func TestEmulatorRequestLog(t *testing.T) {
	e := RequireEmulator(t)
	ctx := testCtx(t)
	ec, cw, pr, st, e2 := ecClient(t), cwClient(t), pricingClient(t), stsClient(t), ec2Client(t)
	mustNoErr(t, e.ResetRequests(ctx))

	missing := uniqueName("missing")
	for i := 0; i < 2; i++ {
		_, err := ec.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(missing)})
		var nf *ectypes.ReplicationGroupNotFoundFault
		if !errors.As(err, &nf) {
			t.Fatal(err)
		}
	}
	pg := uniqueName("pg")
	mustNoErr(t, errOf(ec.CreateCacheParameterGroup(ctx, &elasticache.CreateCacheParameterGroupInput{CacheParameterGroupName: aws.String(pg), CacheParameterGroupFamily: aws.String("redis7"), Description: aws.String("x")})))
	mustNoErr(t, errOf(ec.DeleteCacheParameterGroup(ctx, &elasticache.DeleteCacheParameterGroupInput{CacheParameterGroupName: aws.String(pg)})))
	alarm := uniqueName("alarm")
	_, err := cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
		AlarmName: aws.String(alarm), Namespace: aws.String("AWS/ElastiCache"), MetricName: aws.String("Evictions"), Statistic: cwtypes.StatisticSum,
		Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(1), ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold,
	})
	mustNoErr(t, err)
	mustNoErr(t, errOf(cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{alarm}})))
	mustNoErr(t, errOf(cw.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{alarm}})))
	mustNoErr(t, errOf(pr.GetProducts(ctx, &pricing.GetProductsInput{ServiceCode: aws.String("AmazonElastiCache"), MaxResults: aws.Int32(1)})))
	mustNoErr(t, errOf(st.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})))
	mustNoErr(t, errOf(e2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})))

	reqs, err := e.Requests(ctx)
	mustNoErr(t, err)
	if len(reqs) != 10 {
		t.Fatalf("%d requests logged: %+v", len(reqs), reqs)
	}
	for service, ops := range map[string]map[string]int{
		"elasticache": {"DescribeReplicationGroups": 2, "CreateCacheParameterGroup": 1, "DeleteCacheParameterGroup": 1},
		"cloudwatch":  {"PutMetricAlarm": 1, "DescribeAlarms": 1, "DeleteAlarms": 1},
		"pricing":     {"GetProducts": 1},
		"sts":         {"GetCallerIdentity": 1},
		"ec2":         {"DescribeVpcs": 1},
	} {
		for op, want := range ops {
			if got := CountRequests(reqs, service, op); got != want {
				t.Errorf("%s %s: %d calls logged, want %d", service, op, got, want)
			}
		}
	}
	if CountRequests(reqs, "elasticache", "") != 4 || CountRequests(reqs, "*", "*") != 10 {
		t.Errorf("wildcard counts: %d %d", CountRequests(reqs, "elasticache", ""), CountRequests(reqs, "*", "*"))
	}
	first := reqs[0]
	if first.Status != http.StatusNotFound || first.ErrorCode != "ReplicationGroupNotFoundFault" || first.Resource != missing || first.Mutating || first.Time.IsZero() {
		t.Errorf("first entry: %+v", first)
	}
	for i := 1; i < len(reqs); i++ {
		if reqs[i].Seq <= reqs[i-1].Seq {
			t.Errorf("sequence not increasing at %d: %d after %d", i, reqs[i].Seq, reqs[i-1].Seq)
		}
	}
	var mutating []string
	for _, r := range MutatingRequests(reqs) {
		mutating = append(mutating, r.Service+":"+r.Operation+":"+r.Resource)
	}
	want := []string{"elasticache:CreateCacheParameterGroup:" + pg, "elasticache:DeleteCacheParameterGroup:" + pg, "cloudwatch:PutMetricAlarm:" + alarm, "cloudwatch:DeleteAlarms:" + alarm}
	if strings.Join(mutating, " ") != strings.Join(want, " ") {
		t.Errorf("mutating: %v, want %v", mutating, want)
	}
	mustNoErr(t, e.ResetRequests(ctx))
	if reqs, err := e.Requests(ctx); err != nil || len(reqs) != 0 {
		t.Fatalf("after reset: %d entries, %v", len(reqs), err)
	}
}

// AUTH tokens never reach the request log, the resource listing or the emulator's output.
func TestEmulatorAuthTokenNeverStored(t *testing.T) {
	e := RequireEmulator(t)
	ctx, c := testCtx(t), ecClient(t)
	token1, token2 := "tok1-"+runID+"-abcdefghijkl", "tok2-"+runID+"-abcdefghijkl"
	id := uniqueName("secret")
	_, err := c.CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{
		ReplicationGroupId: aws.String(id), ReplicationGroupDescription: aws.String("x"), Engine: aws.String("redis"),
		CacheNodeType: aws.String("cache.t4g.micro"), NumCacheClusters: aws.Int32(1), TransitEncryptionEnabled: aws.Bool(true), AuthToken: aws.String(token1),
	})
	mustNoErr(t, err)
	waitRGAvailable(t, c, id)
	mustNoErr(t, errOf(c.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), AuthToken: aws.String(token2), AuthTokenUpdateStrategy: ectypes.AuthTokenUpdateStrategyTypeRotate})))
	waitRGAvailable(t, c, id)
	for _, path := range []string{"/_emulator/requests", "/_emulator/resources"} {
		resp, err := http.Get(e.URL + path)
		mustNoErr(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), token1) || strings.Contains(string(body), token2) || strings.Contains(string(body), "abcdefghijkl") {
			t.Fatalf("%s leaks the AUTH token", path)
		}
	}
	if strings.Contains(e.Stderr(), "abcdefghijkl") {
		t.Fatal("the emulator's stderr leaks the AUTH token")
	}
	// AWS deletes a token only on the way to RBAC (rule rg-auth-token-delete-only-to-rbac).
	ug := uniqueName("ug")
	mustNoErr(t, errOf(c.CreateUserGroup(ctx, &elasticache.CreateUserGroupInput{UserGroupId: aws.String(ug), Engine: aws.String("valkey"), UserIds: []string{"default"}})))
	mustNoErr(t, errOf(c.DescribeUserGroups(ctx, &elasticache.DescribeUserGroupsInput{UserGroupId: aws.String(ug)}))) // creating -> active
	mustNoErr(t, errOf(c.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), AuthTokenUpdateStrategy: ectypes.AuthTokenUpdateStrategyTypeDelete, UserGroupIdsToAdd: []string{ug}})))
	if rg := waitRGAvailable(t, c, id); aws.ToBool(rg.AuthTokenEnabled) {
		t.Fatal("AUTH token still enabled after DELETE")
	}
	deleteRG(t, c, id)
}

func TestEmulatorFaults(t *testing.T) {
	e := RequireEmulator(t)
	ctx := testCtx(t)
	t.Cleanup(func() { _ = e.ClearFaults(context.Background()) })
	ec, cw, pr, e2 := ecClient(t), cwClient(t), pricingClient(t), ec2Client(t)

	// Throttling twice: the SDK's standard retryer tries again and succeeds on the third attempt.
	mustNoErr(t, e.ResetRequests(ctx))
	mustNoErr(t, e.InjectFaults(ctx, []FaultRule{{Service: "elasticache", Operation: "DescribeCacheEngineVersions", Count: 2, HTTPStatus: 400, ErrorCode: "ThrottlingException", Message: "Rate exceeded"}}))
	mustNoErr(t, errOf(ec.DescribeCacheEngineVersions(ctx, &elasticache.DescribeCacheEngineVersionsInput{})))
	reqs, err := e.Requests(ctx)
	mustNoErr(t, err)
	faults := 0
	for _, r := range reqs {
		if r.Fault {
			faults++
			if r.ErrorCode != "ThrottlingException" || r.Status != 400 {
				t.Errorf("fault entry: %+v", r)
			}
		}
	}
	if CountRequests(reqs, "elasticache", "DescribeCacheEngineVersions") != 3 || faults != 2 {
		t.Fatalf("expected 2 throttled attempts and a success: %+v", reqs)
	}

	// More faults than the retryer's attempts: the error surfaces, typed by code.
	mustNoErr(t, e.InjectFaults(ctx, []FaultRule{{Service: "elasticache", Operation: "DescribeCacheEngineVersions", Count: 3, HTTPStatus: 400, ErrorCode: "ThrottlingException"}}))
	_, err = ec.DescribeCacheEngineVersions(ctx, &elasticache.DescribeCacheEngineVersionsInput{})
	expectCode(t, err, "ThrottlingException")

	// A modeled fault comes back as the SDK's typed error, and nothing is created.
	id := uniqueName("nocap")
	mustNoErr(t, e.InjectFaults(ctx, []FaultRule{{Service: "elasticache", Operation: "CreateReplicationGroup", HTTPStatus: 400, ErrorCode: "InsufficientCacheClusterCapacity", Message: "no capacity"}}))
	_, err = ec.CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{
		ReplicationGroupId: aws.String(id), ReplicationGroupDescription: aws.String("x"), Engine: aws.String("valkey"), CacheNodeType: aws.String("cache.t4g.micro"),
	})
	mustFault[*ectypes.InsufficientCacheClusterCapacityFault](t, err, "typed fault")
	mustFault[*ectypes.ReplicationGroupNotFoundFault](t, errOf(ec.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)})), "a failed create left something behind")

	// nth: only the second matching call fails (500, retried by the SDK).
	mustNoErr(t, e.ResetRequests(ctx))
	mustNoErr(t, e.InjectFaults(ctx, []FaultRule{{Service: "cloudwatch", Operation: "DescribeAlarms", Nth: 2, HTTPStatus: 500, ErrorCode: "InternalServiceError"}}))
	for i := 0; i < 3; i++ {
		mustNoErr(t, errOf(cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{})))
	}
	reqs, err = e.Requests(ctx)
	mustNoErr(t, err)
	if CountRequests(reqs, "cloudwatch", "DescribeAlarms") != 4 || !reqs[1].Fault || reqs[0].Fault || reqs[2].Fault {
		t.Fatalf("nth=2: %+v", reqs)
	}

	// CBOR: a modeled CloudWatch fault is typed; an unmodeled one keeps its code.
	mustNoErr(t, e.InjectFaults(ctx, []FaultRule{{Service: "cloudwatch", Operation: "PutMetricAlarm", HTTPStatus: 400, ErrorCode: "LimitExceeded", Message: "too many alarms"}}))
	_, err = cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
		AlarmName: aws.String(uniqueName("limit")), Namespace: aws.String("AWS/ElastiCache"), MetricName: aws.String("Evictions"), Statistic: cwtypes.StatisticSum,
		Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(1), ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold,
	})
	var limit *cwtypes.LimitExceededFault
	if !errors.As(err, &limit) || limit.ErrorCode() != "LimitExceeded" || limit.ErrorMessage() != "too many alarms" {
		t.Fatalf("CBOR typed fault: %v", err)
	}
	mustNoErr(t, e.InjectFaults(ctx, []FaultRule{{Service: "cloudwatch", Operation: "*", HTTPStatus: 403, ErrorCode: "AccessDenied", Message: "nope"}}))
	_, err = cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{})
	expectCode(t, err, "AccessDenied")

	// JSON (Pricing): throttled once then fine; a non-retryable typed error.
	mustNoErr(t, e.InjectFaults(ctx, []FaultRule{{Service: "pricing", Operation: "GetProducts", HTTPStatus: 400, ErrorCode: "ThrottlingException"}}))
	mustNoErr(t, errOf(pr.GetProducts(ctx, &pricing.GetProductsInput{ServiceCode: aws.String("AmazonElastiCache"), MaxResults: aws.Int32(1)})))
	mustNoErr(t, e.InjectFaults(ctx, []FaultRule{{Service: "pricing", HTTPStatus: 400, ErrorCode: "AccessDeniedException", Message: "no pricing for you"}}))
	mustFault[*pricingtypes.AccessDeniedException](t, errOf(pr.GetProducts(ctx, &pricing.GetProductsInput{ServiceCode: aws.String("AmazonElastiCache")})), "pricing typed fault")

	// EC2 format: RequestLimitExceeded is retried.
	mustNoErr(t, e.InjectFaults(ctx, []FaultRule{{Service: "ec2", Operation: "DescribeVpcs", HTTPStatus: 503, ErrorCode: "RequestLimitExceeded"}}))
	mustNoErr(t, errOf(e2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})))
	mustNoErr(t, e.InjectFaults(ctx, []FaultRule{{Service: "ec2", Operation: "DescribeVpcs", HTTPStatus: 400, ErrorCode: "UnauthorizedOperation", Message: "not allowed"}}))
	_, err = e2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	expectCode(t, err, "UnauthorizedOperation")

	// Probability 0 never fires; ClearFaults drops pending rules.
	mustNoErr(t, e.InjectFaults(ctx, []FaultRule{{Service: "sts", Operation: "GetCallerIdentity", Probability: 0.000001, Count: 1, ErrorCode: "Throttling", HTTPStatus: 400}}))
	mustNoErr(t, e.InjectFaults(ctx, []FaultRule{{Service: "*", Operation: "DescribeCacheSubnetGroups", Count: 5, ErrorCode: "InternalFailure"}}))
	mustNoErr(t, e.ClearFaults(ctx))
	mustNoErr(t, errOf(ec.DescribeCacheSubnetGroups(ctx, &elasticache.DescribeCacheSubnetGroupsInput{})))

	if err := e.InjectFaults(ctx, []FaultRule{{Operation: "x"}}); err == nil {
		t.Fatal("a rule without a service was accepted")
	}
}

func TestEmulatorResourcesListing(t *testing.T) {
	e := RequireEmulator(t)
	ctx, c, cw, n := testCtx(t), ecClient(t), cwClient(t), newTestNet(t)
	has := func(r Resources, item string) bool {
		for _, x := range r.All() {
			if x == item {
				return true
			}
		}
		return false
	}
	rg, pg, alarm, sls := uniqueName("res"), uniqueName("pg"), uniqueName("alarm"), uniqueName("sls")
	_, err := c.CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{
		ReplicationGroupId: aws.String(rg), ReplicationGroupDescription: aws.String("x"), Engine: aws.String("valkey"),
		CacheNodeType: aws.String("cache.t4g.micro"), NumCacheClusters: aws.Int32(2), SecurityGroupIds: []string{n.GroupID},
	})
	mustNoErr(t, err)
	mustNoErr(t, errOf(c.CreateCacheParameterGroup(ctx, &elasticache.CreateCacheParameterGroupInput{CacheParameterGroupName: aws.String(pg), CacheParameterGroupFamily: aws.String("valkey8"), Description: aws.String("x")})))
	mustNoErr(t, errOf(c.CreateServerlessCache(ctx, &elasticache.CreateServerlessCacheInput{ServerlessCacheName: aws.String(sls), Engine: aws.String("valkey")})))
	_, err = cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
		AlarmName: aws.String(alarm), Namespace: aws.String("AWS/ElastiCache"), MetricName: aws.String("Evictions"), Statistic: cwtypes.StatisticSum,
		Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(1), ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold,
	})
	mustNoErr(t, err)
	res, err := e.Resources(ctx)
	mustNoErr(t, err)
	for _, item := range []string{"replication-group/" + rg, "cache-cluster/" + rg + "-001", "cache-cluster/" + rg + "-002", "parameter-group/" + pg,
		"serverless-cache/" + sls, "alarm/" + alarm, "security-group/" + n.GroupID} {
		if !has(res, item) {
			t.Errorf("%s not listed", item)
		}
	}
	for _, item := range res.All() {
		if strings.HasPrefix(item, "parameter-group/default.") || item == "user/default" {
			t.Errorf("defaults listed: %s", item)
		}
	}

	mustNoErr(t, errOf(c.DeleteReplicationGroup(ctx, &elasticache.DeleteReplicationGroupInput{ReplicationGroupId: aws.String(rg)})))
	mustNoErr(t, errOf(c.DeleteCacheParameterGroup(ctx, &elasticache.DeleteCacheParameterGroupInput{CacheParameterGroupName: aws.String(pg)})))
	_, _ = c.DescribeServerlessCaches(ctx, &elasticache.DescribeServerlessCachesInput{})
	mustNoErr(t, errOf(c.DeleteServerlessCache(ctx, &elasticache.DeleteServerlessCacheInput{ServerlessCacheName: aws.String(sls)})))
	mustNoErr(t, errOf(cw.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{alarm}})))
	mustNoErr(t, errOf(ec2Client(t).DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(n.GroupID)})))
	res, err = e.Resources(ctx)
	mustNoErr(t, err)
	for _, item := range res.All() {
		if strings.Contains(item, rg) || strings.Contains(item, pg) || strings.Contains(item, sls) || strings.Contains(item, alarm) || strings.HasSuffix(item, n.GroupID) {
			t.Errorf("left behind: %s", item)
		}
	}
}

func TestEmulatorControlEndpoints(t *testing.T) {
	e := RequireEmulator(t)
	ctx := testCtx(t)
	mustNoErr(t, e.Health(ctx))
	mustNoErr(t, emulator.Connect(e.URL+"/").Health(ctx))
	if err := emulator.Connect(e.URL).Stop(); err != nil {
		t.Fatal(err)
	}
	if err := e.SetDelays(ctx, EmulatorOptions{CreateDelay: -time.Second}); err == nil {
		t.Fatal("a negative delay was accepted")
	}
	mustNoErr(t, e.SetDelays(ctx, EmulatorOptions{}))
	resp, err := http.Get(e.URL + "/_emulator/nothing")
	mustNoErr(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown control endpoint: %d", resp.StatusCode)
	}
}

// emulator.Start reports the emulator's stderr when it cannot start, and the emulator refuses
// to run on another moto version.
func TestEmulatorStartFailures(t *testing.T) {
	RequireEmulator(t)
	dir := t.TempDir()
	fake := filepath.Join(dir, "python")
	mustNoErr(t, os.WriteFile(fake, []byte("#!/bin/sh\necho 'boom: no interpreter here' >&2\nexit 3\n"), 0o755))
	t.Setenv("EMULATOR_PYTHON", fake)
	_, err := emulator.Start(testCtx(t), EmulatorOptions{})
	if err == nil || !strings.Contains(err.Error(), "exited before it was ready") || !strings.Contains(err.Error(), "boom: no interpreter here") {
		t.Fatalf("start with a failing interpreter: %v", err)
	}

	script, err := emulator.Script()
	mustNoErr(t, err)
	info := filepath.Join(dir, "moto-9.9.9.dist-info")
	mustNoErr(t, os.MkdirAll(info, 0o755))
	mustNoErr(t, os.WriteFile(filepath.Join(info, "METADATA"), []byte("Metadata-Version: 2.1\nName: moto\nVersion: 9.9.9\n"), 0o644))
	cmd := exec.Command("python3", script, "--port", "0")
	cmd.Env = append(os.Environ(), "PYTHONPATH="+dir)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || !strings.Contains(string(out), "moto==5.2.1") || !strings.Contains(string(out), "9.9.9") {
		t.Fatalf("wrong moto version: %v\n%s", err, out)
	}
}

// The emulator's own Python unit tests (CBOR codec, dispatcher protocols, fault counting) run
// with the Go suite so CI covers them.
func TestEmulatorPythonUnitTests(t *testing.T) {
	script, err := emulator.Script()
	mustNoErr(t, err)
	python := os.Getenv("EMULATOR_PYTHON")
	if python == "" {
		python = "python3"
	}
	cmd := exec.Command(python, "-m", "unittest", "discover", "-s", filepath.Join(filepath.Dir(script), "tests"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python unit tests: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "OK") {
		t.Fatalf("python unit tests did not report OK:\n%s", out)
	}
}

// TestEmulatorModelValidation shows the one model-driven validator (test/emulator/validation.py)
// answering each service in its own protocol with the code that service uses, for requests the
// Go SDK sends without complaint (it checks only required members client-side), and a request
// getting through once its check is switched off by name.
func TestEmulatorModelValidation(t *testing.T) {
	ctx := testCtx(t)
	cases := []struct {
		name, code, rule, in string
		call                 func() error
	}{
		{"elasticache enum (awsQuery)", "InvalidParameterValue", "model-enum", "authTokenUpdateStrategy", func() error {
			_, err := ecClient(t).ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{
				ReplicationGroupId: aws.String(uniqueName("none")), AuthTokenUpdateStrategy: ectypes.AuthTokenUpdateStrategyType("REPLACE"),
			})
			return err
		}},
		{"elasticache pattern (awsQuery)", "InvalidParameterValue", "model-pattern", "userId", func() error {
			_, err := ecClient(t).DescribeUsers(ctx, &elasticache.DescribeUsersInput{UserId: aws.String("9-starts-with-a-digit")})
			return err
		}},
		{"cloudwatch list length (CBOR)", "ValidationError", "model-length", "alarmActions", func() error {
			_, err := cwClient(t).PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
				AlarmName: aws.String(uniqueName("six")), Namespace: aws.String("AWS/ElastiCache"), MetricName: aws.String("CPUUtilization"),
				Statistic: cwtypes.StatisticAverage, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(1),
				ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold, AlarmActions: []string{"a", "b", "c", "d", "e", "f"},
			})
			return err
		}},
		{"cloudwatch range (CBOR)", "ValidationError", "model-range", "maxRecords", func() error {
			_, err := cwClient(t).DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{MaxRecords: aws.Int32(101)})
			return err
		}},
		{"ec2 range (ec2 query)", "InvalidParameterValue", "model-range", "maxResults", func() error {
			_, err := ec2Client(t).DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(1001)})
			return err
		}},
		{"pricing range (awsJson1_1)", "ValidationException", "model-range", "maxResults", func() error {
			_, err := pricingClient(t).GetProducts(ctx, &pricing.GetProductsInput{ServiceCode: aws.String("AmazonElastiCache"), MaxResults: aws.Int32(101)})
			return err
		}},
		{"sts length (awsQuery)", "ValidationError", "model-length", "roleArn", func() error {
			_, err := stsClient(t).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:short"), RoleSessionName: aws.String("s")})
			return err
		}},
	}
	for _, c := range cases {
		err := c.call()
		if got := apiCode(err); got != c.code || !strings.Contains(err.Error(), "'"+c.in+"'") {
			t.Errorf("%s: got %q (%v), want %s naming '%s'", c.name, got, err, c.code, c.in)
		}
	}

	emu := RequireEmulator(t)
	mustNoErr(t, emu.DisableRules(ctx, []string{"model-range"}))
	t.Cleanup(func() { mustNoErr(t, emu.DisableRules(testCtx(t), nil)) })
	_, err := ec2Client(t).DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(1001)})
	if apiCode(err) == "InvalidParameterValue" {
		t.Errorf("model-range switched off, EC2 still rejects MaxResults 1001: %v", err)
	}
}
