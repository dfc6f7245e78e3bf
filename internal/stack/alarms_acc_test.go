package stack_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// stackAlarms reads a stack's alarms from CloudWatch, not from state.
func stackAlarms(t *testing.T, name string) map[string]cwtypes.MetricAlarm {
	t.Helper()
	cfg, err := acctest.AWSConfigFromEnv(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]cwtypes.MetricAlarm{}
	pages := cloudwatch.NewDescribeAlarmsPaginator(cloudwatch.NewFromConfig(cfg), &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String("elasticache/" + name + "/")})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.MetricAlarms {
			out[aws.ToString(a.AlarmName)] = a
		}
	}
	return out
}

func TestAccStack_alarms(t *testing.T) {
	name := acctest.RandomName("acc-alarms")
	base := quickstart(name) // 1 shard, 2 replicas, cache.r7g.large (2 vCPU), volatile-lru
	more := base
	more.Replicas = 3
	override := more
	override.ExtraTop = "  alarms = {\n    overrides = {\n      engine_cpu = { threshold = 85 }\n    }\n  }\n"
	off := more
	off.ExtraTop = "  alarms = {\n    enabled = false\n  }\n"
	perMember := []string{"connections", "cpu", "engine-cpu", "evictions", "memory", "replication-lag", "swap"}

	checkDefaultSet := func(*terraform.State) error {
		alarms := stackAlarms(t, name)
		if len(alarms) != 3*len(perMember) {
			return fmt.Errorf("CloudWatch has %d alarms for the stack, want %d", len(alarms), 3*len(perMember))
		}
		for _, member := range []string{"001", "002", "003"} {
			for _, key := range perMember {
				a, ok := alarms["elasticache/"+name+"/"+member+"/"+key]
				if !ok {
					return fmt.Errorf("alarm %s/%s missing", member, key)
				}
				if aws.ToString(a.Namespace) != "AWS/ElastiCache" || len(a.Dimensions) != 1 ||
					aws.ToString(a.Dimensions[0].Name) != "CacheClusterId" || aws.ToString(a.Dimensions[0].Value) != name+"-"+member {
					return fmt.Errorf("alarm %s/%s: namespace %s dimensions %+v", member, key, aws.ToString(a.Namespace), a.Dimensions)
				}
			}
		}
		want := map[string]struct {
			metric    string
			threshold float64
			op        cwtypes.ComparisonOperator
		}{
			"engine-cpu":      {"EngineCPUUtilization", 70, cwtypes.ComparisonOperatorGreaterThanThreshold},
			"memory":          {"DatabaseMemoryUsagePercentage", 80, cwtypes.ComparisonOperatorGreaterThanThreshold},
			"evictions":       {"Evictions", 0, cwtypes.ComparisonOperatorGreaterThanThreshold},
			"replication-lag": {"ReplicationLag", 1, cwtypes.ComparisonOperatorGreaterThanThreshold},
			"connections":     {"CurrConnections", 58500, cwtypes.ComparisonOperatorGreaterThanThreshold},
		}
		for key, w := range want {
			a := alarms["elasticache/"+name+"/002/"+key]
			if aws.ToString(a.MetricName) != w.metric || aws.ToFloat64(a.Threshold) != w.threshold || a.ComparisonOperator != w.op {
				return fmt.Errorf("alarm %s = %s %s %v, want %s %s %v", key, aws.ToString(a.MetricName), a.ComparisonOperator, aws.ToFloat64(a.Threshold), w.metric, w.op, w.threshold)
			}
			if aws.ToString(a.TreatMissingData) != "notBreaching" {
				return fmt.Errorf("alarm %s treats missing data as %s", key, aws.ToString(a.TreatMissingData))
			}
		}
		return nil
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if n := len(stackAlarms(t, name)); n != 0 {
				return fmt.Errorf("%d alarms left after destroy", n)
			}
			return checkDestroyed(t, name)(s)
		},
		Steps: []resource.TestStep{
			{
				Config: base.HCL(t),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: planChecks{
					inPlan("alarm_names", size(21)),
					inPlan("alarm_arns", size(21)),
				}},
				Check: checkDefaultSet,
			},
			{
				// One refresh of a stack with 21 alarms reads them with one DescribeAlarms.
				PreConfig:        func() { resetLog(t) },
				Config:           base.HCL(t),
				ConfigPlanChecks: expectEmpty(),
				Check: func(*terraform.State) error {
					reqs, err := acctest.Local.Requests(context.Background())
					if err != nil {
						return err
					}
					refreshes := acctest.CountRequests(reqs, "elasticache", "DescribeReplicationGroups")
					if d := acctest.CountRequests(reqs, "monitoring", "DescribeAlarms") + acctest.CountRequests(reqs, "cloudwatch", "DescribeAlarms"); d != refreshes {
						return fmt.Errorf("%d DescribeAlarms for %d refreshes; want one per refresh", d, refreshes)
					}
					return nil
				},
				SkipFunc: func() (bool, error) { return acctest.Local == nil, nil },
			},
			{
				// A fourth member brings exactly its own 7 alarms.
				PreConfig:        func() { resetLog(t) },
				Config:           more.HCL(t),
				ConfigPlanChecks: expectUpdate(inPlan("alarm_names", size(28))),
				Check: func(*terraform.State) error {
					if got := putAlarmCalls(t); got != len(perMember) {
						return fmt.Errorf("PutMetricAlarm called %d times, want %d (the new member's alarms only)", got, len(perMember))
					}
					if _, ok := stackAlarms(t, name)["elasticache/"+name+"/004/engine-cpu"]; !ok {
						return fmt.Errorf("new member's alarm missing")
					}
					return nil
				},
			},
			{
				// An override changes one alarm per member and nothing else.
				PreConfig:        func() { resetLog(t) },
				Config:           override.HCL(t),
				ConfigPlanChecks: expectUpdate(),
				Check: func(*terraform.State) error {
					if got := putAlarmCalls(t); got != 4 {
						return fmt.Errorf("PutMetricAlarm called %d times, want 4 (engine-cpu of each member)", got)
					}
					if th := aws.ToFloat64(stackAlarms(t, name)["elasticache/"+name+"/001/engine-cpu"].Threshold); th != 85 {
						return fmt.Errorf("engine-cpu threshold %v, want 85", th)
					}
					return nil
				},
			},
			{
				// An alarm deleted out of band shows as drift and the next apply recreates it.
				PreConfig: func() {
					cfg, _ := acctest.AWSConfigFromEnv(context.Background())
					_, err := cloudwatch.NewFromConfig(cfg).DeleteAlarms(context.Background(), &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{"elasticache/" + name + "/003/memory"}})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config:           override.HCL(t),
				ConfigPlanChecks: expectUpdate(),
				Check: func(*terraform.State) error {
					if _, ok := stackAlarms(t, name)["elasticache/"+name+"/003/memory"]; !ok {
						return fmt.Errorf("deleted alarm not recreated")
					}
					return nil
				},
			},
			{
				Config:            off.HCL(t),
				ConfigPlanChecks:  expectUpdate(inPlan("alarm_names", size(0))),
				ConfigStateChecks: stateChecks{inState("alarm_names", size(0))},
				Check: func(*terraform.State) error {
					if left := stackAlarms(t, name); len(left) != 0 {
						names := make([]string, 0, len(left))
						for n := range left {
							names = append(names, n)
						}
						sort.Strings(names)
						return fmt.Errorf("enabled = false left alarms: %s", strings.Join(names, ", "))
					}
					return nil
				},
			},
		},
	})
}

func putAlarmCalls(t *testing.T) int {
	t.Helper()
	if acctest.Local == nil {
		return -1
	}
	reqs, err := acctest.Local.Requests(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return acctest.CountRequests(reqs, "monitoring", "PutMetricAlarm") + acctest.CountRequests(reqs, "cloudwatch", "PutMetricAlarm")
}
