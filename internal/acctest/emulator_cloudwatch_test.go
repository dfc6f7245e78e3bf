package acctest

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

func describeAlarm(t *testing.T, c *cloudwatch.Client, name string) types.MetricAlarm {
	t.Helper()
	out, err := c.DescribeAlarms(testCtx(t), &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{name}})
	mustNoErr(t, err)
	if len(out.MetricAlarms) != 1 {
		t.Fatalf("alarm %s: %d found", name, len(out.MetricAlarms))
	}
	return out.MetricAlarms[0]
}

func alarmTags(t *testing.T, c *cloudwatch.Client, arn string) map[string]string {
	t.Helper()
	out, err := c.ListTagsForResource(testCtx(t), &cloudwatch.ListTagsForResourceInput{ResourceARN: aws.String(arn)})
	mustNoErr(t, err)
	m := map[string]string{}
	for _, tag := range out.Tags {
		m[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
	}
	return m
}

// Alarms round-trip over Smithy RPC v2 CBOR with every field the provider sets.
func TestEmulatorCloudWatchAlarms(t *testing.T) {
	ctx, c := testCtx(t), cwClient(t)
	name := uniqueName("cpu-high")
	topic := "arn:aws:sns:us-east-1:123456789012:cache-alerts"
	in := &cloudwatch.PutMetricAlarmInput{
		AlarmName:               aws.String(name),
		AlarmDescription:        aws.String("CPU above 80% on the primary"),
		ActionsEnabled:          aws.Bool(true),
		AlarmActions:            []string{topic},
		OKActions:               []string{topic},
		InsufficientDataActions: []string{topic},
		Namespace:               aws.String("AWS/ElastiCache"),
		MetricName:              aws.String("EngineCPUUtilization"),
		Statistic:               types.StatisticAverage,
		Dimensions: []types.Dimension{
			{Name: aws.String("CacheClusterId"), Value: aws.String("sessions-001")},
			{Name: aws.String("CacheNodeId"), Value: aws.String("0001")},
		},
		Period:             aws.Int32(300),
		EvaluationPeriods:  aws.Int32(3),
		DatapointsToAlarm:  aws.Int32(2),
		Threshold:          aws.Float64(80.5),
		ComparisonOperator: types.ComparisonOperatorGreaterThanOrEqualToThreshold,
		TreatMissingData:   aws.String("notBreaching"),
		Unit:               types.StandardUnitPercent,
		Tags:               []types.Tag{{Key: aws.String("stack"), Value: aws.String("sessions")}},
	}
	mustNoErr(t, errOf(c.PutMetricAlarm(ctx, in)))
	a := describeAlarm(t, c, name)
	if aws.ToFloat64(a.Threshold) != 80.5 || aws.ToInt32(a.Period) != 300 || aws.ToInt32(a.EvaluationPeriods) != 3 ||
		aws.ToInt32(a.DatapointsToAlarm) != 2 || a.Statistic != types.StatisticAverage || a.ComparisonOperator != types.ComparisonOperatorGreaterThanOrEqualToThreshold ||
		aws.ToString(a.TreatMissingData) != "notBreaching" || a.Unit != types.StandardUnitPercent || !aws.ToBool(a.ActionsEnabled) ||
		aws.ToString(a.MetricName) != "EngineCPUUtilization" || aws.ToString(a.Namespace) != "AWS/ElastiCache" ||
		aws.ToString(a.AlarmDescription) != "CPU above 80% on the primary" || a.StateValue != types.StateValueInsufficientData ||
		aws.ToString(a.AlarmArn) != "arn:aws:cloudwatch:us-east-1:123456789012:alarm:"+name ||
		a.AlarmConfigurationUpdatedTimestamp == nil || a.StateUpdatedTimestamp == nil ||
		fmt.Sprint(a.AlarmActions, a.OKActions, a.InsufficientDataActions) != fmt.Sprint([]string{topic}, []string{topic}, []string{topic}) {
		t.Fatalf("alarm: %+v", a)
	}
	if len(a.Dimensions) != 2 || aws.ToString(a.Dimensions[0].Name) != "CacheClusterId" || aws.ToString(a.Dimensions[0].Value) != "sessions-001" || aws.ToString(a.Dimensions[1].Value) != "0001" {
		t.Fatalf("dimensions: %+v", a.Dimensions)
	}
	if tags := alarmTags(t, c, aws.ToString(a.AlarmArn)); tags["stack"] != "sessions" {
		t.Fatalf("tags at create: %v", tags)
	}

	// Update replaces the definition; tags given on update are ignored, as in AWS.
	in.Threshold, in.ExtendedStatistic, in.Statistic = aws.Float64(-2.25), aws.String("p99"), ""
	in.Tags = []types.Tag{{Key: aws.String("ignored"), Value: aws.String("yes")}}
	in.AlarmDescription, in.Unit = nil, ""
	mustNoErr(t, errOf(c.PutMetricAlarm(ctx, in)))
	a = describeAlarm(t, c, name)
	if aws.ToFloat64(a.Threshold) != -2.25 || aws.ToString(a.ExtendedStatistic) != "p99" || a.Statistic != "" || a.AlarmDescription != nil || a.Unit != "" {
		t.Fatalf("after update: %+v", a)
	}
	if tags := alarmTags(t, c, aws.ToString(a.AlarmArn)); tags["ignored"] != "" || tags["stack"] != "sessions" {
		t.Fatalf("tags after update: %v", tags)
	}

	// Tag APIs.
	mustNoErr(t, errOf(c.TagResource(ctx, &cloudwatch.TagResourceInput{ResourceARN: a.AlarmArn, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}}})))
	mustNoErr(t, errOf(c.UntagResource(ctx, &cloudwatch.UntagResourceInput{ResourceARN: a.AlarmArn, TagKeys: []string{"stack"}})))
	if tags := alarmTags(t, c, aws.ToString(a.AlarmArn)); len(tags) != 1 || tags["env"] != "test" {
		t.Fatalf("tags after tag/untag: %v", tags)
	}

	// A metric-math alarm: nested structures survive CBOR.
	math := uniqueName("hit-rate")
	_, err := c.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
		AlarmName: aws.String(math), EvaluationPeriods: aws.Int32(2), ComparisonOperator: types.ComparisonOperatorLessThanThreshold,
		Threshold: aws.Float64(0.8), ThresholdMetricId: nil,
		Metrics: []types.MetricDataQuery{
			{Id: aws.String("hits"), ReturnData: aws.Bool(false), MetricStat: &types.MetricStat{
				Metric: &types.Metric{Namespace: aws.String("AWS/ElastiCache"), MetricName: aws.String("CacheHits"),
					Dimensions: []types.Dimension{{Name: aws.String("ReplicationGroupId"), Value: aws.String("sessions")}}},
				Period: aws.Int32(60), Stat: aws.String("Sum")}},
			{Id: aws.String("misses"), ReturnData: aws.Bool(false), MetricStat: &types.MetricStat{
				Metric: &types.Metric{Namespace: aws.String("AWS/ElastiCache"), MetricName: aws.String("CacheMisses")},
				Period: aws.Int32(60), Stat: aws.String("Sum")}},
			{Id: aws.String("rate"), Expression: aws.String("hits / (hits + misses)"), Label: aws.String("Hit rate"), ReturnData: aws.Bool(true)},
		},
	})
	mustNoErr(t, err)
	m := describeAlarm(t, c, math)
	if len(m.Metrics) != 3 || aws.ToString(m.Metrics[2].Expression) != "hits / (hits + misses)" || aws.ToInt32(m.Metrics[0].MetricStat.Period) != 60 ||
		aws.ToString(m.Metrics[0].MetricStat.Metric.Dimensions[0].Value) != "sessions" || aws.ToBool(m.Metrics[0].ReturnData) || aws.ToFloat64(m.Threshold) != 0.8 {
		t.Fatalf("metric math alarm: %+v", m.Metrics)
	}

	// Delete.
	mustNoErr(t, errOf(c.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{name, math}})))
	out, err := c.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{name, math}})
	mustNoErr(t, err)
	if len(out.MetricAlarms) != 0 {
		t.Fatalf("deleted alarms still described: %d", len(out.MetricAlarms))
	}
	mustFault[*types.ResourceNotFound](t, errOf(c.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{name}})), "deleting a deleted alarm")
	mustFault[*types.ResourceNotFoundException](t, errOf(c.ListTagsForResource(ctx, &cloudwatch.ListTagsForResourceInput{ResourceARN: a.AlarmArn})), "tags of a deleted alarm")
}

func TestEmulatorCloudWatchPagination(t *testing.T) {
	ctx, c := testCtx(t), cwClient(t)
	prefix := uniqueName("page") + "-"
	var want []string
	for i := 0; i < 7; i++ {
		name := fmt.Sprintf("%s%02d", prefix, i)
		want = append(want, name)
		_, err := c.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
			AlarmName: aws.String(name), Namespace: aws.String("AWS/ElastiCache"), MetricName: aws.String("Evictions"),
			Statistic: types.StatisticSum, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(float64(i * 100)),
			ComparisonOperator: types.ComparisonOperatorGreaterThanThreshold,
			Dimensions:         []types.Dimension{{Name: aws.String("CacheClusterId"), Value: aws.String(fmt.Sprintf("c-%03d", i))}},
		})
		mustNoErr(t, err)
	}
	var got []string
	thresholds := map[string]float64{}
	p := cloudwatch.NewDescribeAlarmsPaginator(c, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String(prefix), MaxRecords: aws.Int32(3)})
	pages := readPages(t, p, 3, func(o *cloudwatch.DescribeAlarmsOutput) []types.MetricAlarm { return o.MetricAlarms })
	for _, a := range slices.Concat(pages...) {
		got = append(got, aws.ToString(a.AlarmName))
		thresholds[aws.ToString(a.AlarmName)] = aws.ToFloat64(a.Threshold)
	}
	if len(pages) != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%d pages: %v", len(pages), got)
	}
	if thresholds[want[6]] != 600 || thresholds[want[0]] != 0 {
		t.Fatalf("thresholds: %v", thresholds)
	}
	byName, err := c.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{want[5], want[1], "nothing-" + runID}})
	mustNoErr(t, err)
	var names []string
	for _, a := range byName.MetricAlarms {
		names = append(names, aws.ToString(a.AlarmName))
	}
	sort.Strings(names)
	if fmt.Sprint(names) != fmt.Sprint([]string{want[1], want[5]}) {
		t.Fatalf("by name: %v", names)
	}
	mustFault[*types.InvalidNextToken](t, errOf(c.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String(prefix), NextToken: aws.String("garbage")})), "bad token")
	mustNoErr(t, errOf(c.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: want})))
}

func TestEmulatorCloudWatchErrors(t *testing.T) {
	ctx, c := testCtx(t), cwClient(t)
	valid := func() *cloudwatch.PutMetricAlarmInput {
		return &cloudwatch.PutMetricAlarmInput{
			AlarmName: aws.String(uniqueName("bad")), Namespace: aws.String("AWS/ElastiCache"), MetricName: aws.String("CurrConnections"),
			Statistic: types.StatisticMaximum, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(1000),
			ComparisonOperator: types.ComparisonOperatorGreaterThanThreshold,
		}
	}
	var (
		invalid     *types.InvalidParameterValueException
		combination *types.InvalidParameterCombinationException
		missing     *types.MissingRequiredParameterException
	)
	for name, c0 := range map[string]struct {
		mutate func(*cloudwatch.PutMetricAlarmInput)
		target any
	}{
		"period 45":                {func(in *cloudwatch.PutMetricAlarmInput) { in.Period = aws.Int32(45) }, &invalid},
		"statistic and extended":   {func(in *cloudwatch.PutMetricAlarmInput) { in.ExtendedStatistic = aws.String("p90") }, &combination},
		"datapoints above periods": {func(in *cloudwatch.PutMetricAlarmInput) { in.DatapointsToAlarm = aws.Int32(2) }, &invalid},
		"no statistic":             {func(in *cloudwatch.PutMetricAlarmInput) { in.Statistic = "" }, &missing},
		"bad treat missing data":   {func(in *cloudwatch.PutMetricAlarmInput) { in.TreatMissingData = aws.String("sometimes") }, &invalid},
		"metrics and a metric name": {func(in *cloudwatch.PutMetricAlarmInput) {
			in.Metrics = []types.MetricDataQuery{{Id: aws.String("m"), Expression: aws.String("1")}}
		}, &combination},
		"no metric name nor namespace": {func(in *cloudwatch.PutMetricAlarmInput) { in.MetricName, in.Namespace = nil, nil }, &missing},
	} {
		in := valid()
		c0.mutate(in)
		_, err := c.PutMetricAlarm(ctx, in)
		if !errors.As(err, c0.target) {
			t.Errorf("%s: unexpected %v", name, err)
		}
	}
	_, err := c.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"a"}, AlarmNamePrefix: aws.String("a")})
	if !errors.As(err, &combination) {
		t.Errorf("names and prefix: %v", err)
	}
	expectFault[*types.ResourceNotFoundException](t, errOf(c.TagResource(ctx, &cloudwatch.TagResourceInput{ResourceARN: aws.String("arn:aws:cloudwatch:us-east-1:123456789012:alarm:nothing-" + runID), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})), "tagging an unknown alarm")
	_, err = c.ListTagsForResource(ctx, &cloudwatch.ListTagsForResourceInput{ResourceARN: aws.String("not-an-arn")})
	if !errors.As(err, &invalid) {
		t.Errorf("malformed ARN: %v", err)
	}
	_, err = c.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{"nothing-" + runID}})
	var notFound *types.ResourceNotFound
	if !errors.As(err, &notFound) || notFound.ErrorCode() != "ResourceNotFound" {
		t.Errorf("deleting an unknown alarm: %v", err)
	}
}
