package awsops

import (
	"context"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

const componentAlarms = "CloudWatch alarms"

// deleteAlarmsPerCall is CloudWatch's limit of names per DeleteAlarms call.
const deleteAlarmsPerCall = 100

// ObservedAlarm is one alarm as CloudWatch has it.
type ObservedAlarm struct {
	Spec blueprint.AlarmSpec
	ARN  string
}

// ObserveAlarms reads every alarm whose name starts with prefix: one paginated DescribeAlarms,
// whatever the number of alarms.
func (c *Clients) ObserveAlarms(ctx context.Context, prefix string) ([]ObservedAlarm, error) {
	var out []ObservedAlarm
	pages := cloudwatch.NewDescribeAlarmsPaginator(c.CloudWatch, &cloudwatch.DescribeAlarmsInput{
		AlarmNamePrefix: aws.String(prefix),
		AlarmTypes:      []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm},
		MaxRecords:      aws.Int32(100),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, wrap(componentAlarms, "describe", prefix+"*", err)
		}
		for _, a := range page.MetricAlarms {
			out = append(out, ObservedAlarm{Spec: alarmSpecOf(a), ARN: aws.ToString(a.AlarmArn)})
		}
	}
	return out, nil
}

func alarmSpecOf(a cwtypes.MetricAlarm) blueprint.AlarmSpec {
	dims := map[string]string{}
	for _, d := range a.Dimensions {
		dims[aws.ToString(d.Name)] = aws.ToString(d.Value)
	}
	return blueprint.AlarmSpec{
		Name:               aws.ToString(a.AlarmName),
		Description:        aws.ToString(a.AlarmDescription),
		MetricName:         aws.ToString(a.MetricName),
		Statistic:          string(a.Statistic),
		Dimensions:         dims,
		ComparisonOperator: string(a.ComparisonOperator),
		Threshold:          aws.ToFloat64(a.Threshold),
		Period:             int(aws.ToInt32(a.Period)),
		EvaluationPeriods:  int(aws.ToInt32(a.EvaluationPeriods)),
		DatapointsToAlarm:  int(aws.ToInt32(a.DatapointsToAlarm)),
		TreatMissingData:   aws.ToString(a.TreatMissingData),
		AlarmActions:       a.AlarmActions,
		OKActions:          a.OKActions,
	}
}

// SyncAlarms writes only the alarms blueprint.AlarmDrift finds missing or changed, and
// deletes the stack's alarms that are no longer wanted.
func (c *Clients) SyncAlarms(ctx context.Context, stackName string, observed []ObservedAlarm, desired []blueprint.AlarmSpec, tags map[string]string) error {
	specs := make([]blueprint.AlarmSpec, 0, len(observed))
	for _, o := range observed {
		specs = append(specs, o.Spec)
	}
	write, stale := blueprint.AlarmDrift(specs, desired)
	for _, a := range write {
		if err := c.putAlarm(ctx, stackName, a, tags); err != nil {
			return err
		}
	}
	return c.deleteAlarms(ctx, stale)
}

func (c *Clients) putAlarm(ctx context.Context, stackName string, a blueprint.AlarmSpec, tags map[string]string) error {
	dims := make([]cwtypes.Dimension, 0, len(a.Dimensions))
	for _, k := range slices.Sorted(maps.Keys(a.Dimensions)) {
		dims = append(dims, cwtypes.Dimension{Name: aws.String(k), Value: aws.String(a.Dimensions[k])})
	}
	cwTags := make([]cwtypes.Tag, 0, len(tags)+1)
	for k, v := range WithOwner(stackName, tags) {
		cwTags = append(cwTags, cwtypes.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	tflog.Debug(ctx, "writing alarm", map[string]any{"alarm": a.Name})
	_, err := c.CloudWatch.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
		AlarmName:          aws.String(a.Name),
		AlarmDescription:   aws.String(a.Description),
		Namespace:          aws.String(blueprint.AlarmNamespace),
		MetricName:         aws.String(a.MetricName),
		Statistic:          cwtypes.Statistic(a.Statistic),
		Dimensions:         dims,
		ComparisonOperator: cwtypes.ComparisonOperator(a.ComparisonOperator),
		Threshold:          aws.Float64(a.Threshold),
		Period:             aws.Int32(int32(a.Period)),
		EvaluationPeriods:  aws.Int32(int32(a.EvaluationPeriods)),
		DatapointsToAlarm:  aws.Int32(int32(a.DatapointsToAlarm)),
		TreatMissingData:   aws.String(a.TreatMissingData),
		AlarmActions:       a.AlarmActions,
		OKActions:          a.OKActions,
		ActionsEnabled:     aws.Bool(true),
		Tags:               cwTags,
	})
	return wrap(componentAlarms, "put", a.Name, err)
}

func (c *Clients) deleteAlarms(ctx context.Context, names []string) error {
	for len(names) > 0 {
		n := min(len(names), deleteAlarmsPerCall)
		if _, err := c.CloudWatch.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: names[:n]}); err != nil {
			return wrap(componentAlarms, "delete", names[0], err)
		}
		names = names[n:]
	}
	return nil
}

// DeleteStackAlarms removes every alarm of a stack.
func (c *Clients) DeleteStackAlarms(ctx context.Context, stackName string) error {
	observed, err := c.ObserveAlarms(ctx, blueprint.AlarmPrefix(stackName))
	if err != nil {
		return err
	}
	names := make([]string, 0, len(observed))
	for _, o := range observed {
		names = append(names, o.Spec.Name)
	}
	return c.deleteAlarms(ctx, names)
}
