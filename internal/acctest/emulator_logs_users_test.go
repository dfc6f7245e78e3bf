package acctest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

func logsClient(t *testing.T) *cloudwatchlogs.Client {
	return cloudwatchlogs.NewFromConfig(testConfig(t), func(o *cloudwatchlogs.Options) { o.Retryer = fastRetries() })
}

func slowLog(group string) []ectypes.LogDeliveryConfigurationRequest {
	return []ectypes.LogDeliveryConfigurationRequest{{
		LogType: ectypes.LogTypeSlowLog, DestinationType: ectypes.DestinationTypeCloudWatchLogs, LogFormat: ectypes.LogFormatJson,
		DestinationDetails: &ectypes.DestinationDetails{CloudWatchLogsDetails: &ectypes.CloudWatchLogsDestinationDetails{LogGroup: aws.String(group)}},
	}}
}

// TestEmulatorRulesLogsAndUsers shows the rules of log delivery, log groups and users
// (RULES.md) rejecting, accepting, and switched off.
func TestEmulatorRulesLogsAndUsers(t *testing.T) {
	logs := logsClient(t)
	group := "/elasticache/" + uniqueName("rules") + "/slow-log"
	if _, err := logs.CreateLogGroup(testCtx(t), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	var rgID string
	runRuleCases(t, []ruleCase{
		{rule: "logs-retention-days", code: "InvalidParameterException",
			reject: func(rt *ruleT) error {
				_, err := logs.PutRetentionPolicy(testCtx(rt.T), &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(group), RetentionInDays: aws.Int32(31)})
				return err
			},
			accept: func(rt *ruleT) error {
				_, err := logs.PutRetentionPolicy(testCtx(rt.T), &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(group), RetentionInDays: aws.Int32(30)})
				return err
			}},
		{rule: "rg-log-delivery-apply-immediately", code: "InvalidParameterValue",
			reject: func(rt *ruleT) error {
				if rgID == "" {
					rgID = uniqueName("logs")
					_, err := rt.ec.CreateReplicationGroup(testCtx(rt.T), &elasticache.CreateReplicationGroupInput{
						ReplicationGroupId: aws.String(rgID), ReplicationGroupDescription: aws.String("logs"),
						Engine: aws.String("valkey"), CacheNodeType: aws.String("cache.t4g.micro"), NumCacheClusters: aws.Int32(1),
					})
					if err != nil {
						rt.Fatal(err)
					}
				}
				waitRGAvailable(rt.T, rt.ec, rgID)
				_, err := rt.ec.ModifyReplicationGroup(testCtx(rt.T), &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(rgID), LogDeliveryConfigurations: slowLog(group)})
				return err
			},
			accept: func(rt *ruleT) error {
				_, err := rt.ec.ModifyReplicationGroup(testCtx(rt.T), &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(rgID), ApplyImmediately: aws.Bool(true), LogDeliveryConfigurations: slowLog(group)})
				if err != nil {
					return err
				}
				rg := waitRGAvailable(rt.T, rt.ec, rgID)
				if len(rg.LogDeliveryConfigurations) != 1 || aws.ToString(rg.LogDeliveryConfigurations[0].DestinationDetails.CloudWatchLogsDetails.LogGroup) != group {
					rt.Fatalf("log delivery not reported: %+v", rg.LogDeliveryConfigurations)
				}
				return nil
			}},
		{rule: "user-iam-name-equals-id", code: "InvalidParameterValue",
			reject: func(rt *ruleT) error { return createIAMUser(rt, uniqueName("iam"), "other-name") },
			accept: func(rt *ruleT) error { id := uniqueName("iam"); return createIAMUser(rt, id, id) }},
		{rule: "user-group-needs-default-user", code: "DefaultUserRequired",
			reject: func(rt *ruleT) error {
				_, err := rt.ec.CreateUserGroup(testCtx(rt.T), &elasticache.CreateUserGroupInput{UserGroupId: aws.String(uniqueName("ug")), Engine: aws.String("valkey")})
				return err
			},
			accept: func(rt *ruleT) error {
				_, err := rt.ec.CreateUserGroup(testCtx(rt.T), &elasticache.CreateUserGroupInput{UserGroupId: aws.String(uniqueName("ug")), Engine: aws.String("valkey"), UserIds: []string{"default"}})
				return err
			}},
	})
}

func createIAMUser(rt *ruleT, id, name string) error {
	_, err := rt.ec.CreateUser(testCtx(rt.T), &elasticache.CreateUserInput{
		UserId: aws.String(id), UserName: aws.String(name), Engine: aws.String("valkey"), AccessString: aws.String("on ~* +@all"),
		AuthenticationMode: &ectypes.AuthenticationMode{Type: ectypes.InputAuthenticationTypeIam},
	})
	return err
}
