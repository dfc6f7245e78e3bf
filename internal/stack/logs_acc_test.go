package stack_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

func logsClient(t *testing.T) *cloudwatchlogs.Client {
	t.Helper()
	cfg, err := acctest.AWSConfigFromEnv(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cloudwatchlogs.NewFromConfig(cfg)
}

// checkLogs asserts the group's log deliveries (log type -> destination) and the stack's log
// groups (name -> retention days), through the API.
func checkLogs(t *testing.T, name string, deliveries map[string]string, groups map[string]int32) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		out, err := clients(t).ec.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})
		if err != nil {
			return err
		}
		got := map[string]string{}
		for _, l := range out.ReplicationGroups[0].LogDeliveryConfigurations {
			dest := ""
			if d := l.DestinationDetails; d != nil && d.CloudWatchLogsDetails != nil {
				dest = aws.ToString(d.CloudWatchLogsDetails.LogGroup)
			} else if d != nil && d.KinesisFirehoseDetails != nil {
				dest = "firehose:" + aws.ToString(d.KinesisFirehoseDetails.DeliveryStream)
			}
			got[string(l.LogType)] = dest
		}
		if fmt.Sprint(got) != fmt.Sprint(deliveries) {
			return fmt.Errorf("log deliveries %v, want %v", got, deliveries)
		}
		lg, err := logsClient(t).DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/elasticache/" + name + "/")})
		if err != nil {
			return err
		}
		gotGroups := map[string]int32{}
		for _, g := range lg.LogGroups {
			gotGroups[aws.ToString(g.LogGroupName)] = aws.ToInt32(g.RetentionInDays)
		}
		if fmt.Sprint(gotGroups) != fmt.Sprint(groups) {
			return fmt.Errorf("log groups %v, want %v", gotGroups, groups)
		}
		return nil
	}
}

// TestAccStack_logs: slow log on at create, the engine log added later, log group drift
// repaired, the destination switched to Firehose (the stack's log groups go), logs removed.
// Every change goes with ApplyImmediately (the emulator enforces "rg-log-delivery-apply-immediately").
func TestAccStack_logs(t *testing.T) {
	name := acctest.RandomName("acc-logs")
	cfg := func(logs string) string {
		c := stackConfig{Name: name, Replicas: 1, ExtraTop: logs}
		return c.HCL(t)
	}
	slow := "  logs = {\n    slow = true\n  }\n"
	both := "  logs = {\n    slow = true\n    engine = true\n    format = \"text\"\n  }\n"
	firehose := "  logs = {\n    slow = true\n    engine = true\n    destination = \"kinesis-firehose\"\n    firehose_stream = \"cache-logs\"\n  }\n"
	slowGroup, engineGroup := "/elasticache/"+name+"/slow-log", "/elasticache/"+name+"/engine-log"
	empty := expectEmpty()
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: cfg(slow), Check: checkLogs(t, name, map[string]string{"slow-log": slowGroup}, map[string]int32{slowGroup: 30})},
		{Config: cfg(slow), ConfigPlanChecks: empty},
		{Config: cfg(both), Check: checkLogs(t, name, map[string]string{"slow-log": slowGroup, "engine-log": engineGroup}, map[string]int32{slowGroup: 30, engineGroup: 30})},
		{
			// Someone shortens the slow log's retention and deletes the engine log's group.
			PreConfig: func() {
				ctx, logs := context.Background(), logsClient(t)
				if _, err := logs.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(slowGroup), RetentionInDays: aws.Int32(7)}); err != nil {
					t.Fatal(err)
				}
				if _, err := logs.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String(engineGroup)}); err != nil {
					t.Fatal(err)
				}
			},
			Config:           cfg(both),
			ConfigPlanChecks: expectUpdate(),
			Check:            checkLogs(t, name, map[string]string{"slow-log": slowGroup, "engine-log": engineGroup}, map[string]int32{slowGroup: 30, engineGroup: 30}),
		},
		{Config: cfg(both), ConfigPlanChecks: empty},
		{Config: cfg(firehose), Check: checkLogs(t, name, map[string]string{"slow-log": "firehose:cache-logs", "engine-log": "firehose:cache-logs"}, map[string]int32{})},
		{Config: cfg(firehose), ConfigPlanChecks: empty},
		{Config: cfg(""), Check: checkLogs(t, name, map[string]string{}, map[string]int32{})},
		{Config: cfg(""), ConfigPlanChecks: empty},
		{Config: cfg(slow)},
	}))
	// Destroy removed the log group of the last step.
	lg, err := logsClient(t).DescribeLogGroups(context.Background(), &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/elasticache/" + name + "/")})
	if err != nil || len(lg.LogGroups) != 0 {
		t.Fatalf("log groups left after destroy: %v (err %v)", lg, err)
	}
}

// TestAccStack_logsInvalidCreateNothing: logs where AWS delivers none, or too old an engine,
// or half a destination, fail at plan with no mutating call.
func TestAccStack_logsInvalidCreateNothing(t *testing.T) {
	n := "acc-logs-invalid"
	refusalCases := []refusal{
		{stackConfig{Name: n, Engine: "memcached", Provisioned: "node_type = \"cache.r7g.large\"", ExtraTop: "  logs = { slow = true }\n"}, `Memcached has no slow or engine log`},
		{stackConfig{Name: n, Mode: "serverless", ExtraTop: "  logs = { slow = true }\n"}, `a serverless cache has no log delivery`},
		{stackConfig{Name: n, Replicas: 1, Engine: "redis", ExtraTop: "  engine_version = \"6.0\"\n  logs = { engine = true }\n"}, `engine log delivery needs Redis OSS 6.2`},
		{stackConfig{Name: n, Replicas: 1, ExtraTop: "  logs = {\n    slow = true\n    destination = \"kinesis-firehose\"\n  }\n"}, `needs firehose_stream`},
		{stackConfig{Name: n, Replicas: 1, ExtraTop: "  logs = {\n    slow = true\n    retention_days = 31\n  }\n"}, `CloudWatch Logs keeps logs for one of: 1, 3, 5`},
	}
	refusedAtPlan(t, refusals(t, refusalCases))
}
