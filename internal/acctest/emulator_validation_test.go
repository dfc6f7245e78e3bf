package acctest

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

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
