package awsops

import (
	"context"
	"maps"
	"slices"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwltypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

const (
	componentLogGroup   = "log group"
	logDeliveryDisabled = "disabled"
)

// ObservedLogGroup is what CloudWatch Logs says about one of the stack's log groups.
type ObservedLogGroup struct {
	Name          string
	RetentionDays int // 0: never expire
	KMSKeyARN     string
}

// ObserveLogGroups lists the stack's log groups (one paginated describe by prefix).
func (c *Clients) ObserveLogGroups(ctx context.Context, stackName string) (map[string]ObservedLogGroup, error) {
	out := map[string]ObservedLogGroup{}
	p := cloudwatchlogs.NewDescribeLogGroupsPaginator(c.Logs, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(blueprint.LogGroupPrefix(stackName))})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, wrap(componentLogGroup, "read", blueprint.LogGroupPrefix(stackName), err)
		}
		for _, g := range page.LogGroups {
			name := aws.ToString(g.LogGroupName)
			out[name] = ObservedLogGroup{Name: name, RetentionDays: int(aws.ToInt32(g.RetentionInDays)), KMSKeyARN: aws.ToString(g.KmsKeyId)}
		}
	}
	return out, nil
}

// SyncLogGroups makes the stack's log groups what specs says: missing ones created (tagged with
// the owner), retention and KMS key brought back, and groups of log types no longer delivered
// deleted unless keep is set.
func (c *Clients) SyncLogGroups(ctx context.Context, stackName string, specs []blueprint.LogGroupSpec, keep bool) error {
	observed, err := c.ObserveLogGroups(ctx, stackName)
	if err != nil {
		return err
	}
	for _, spec := range specs {
		o, found := observed[spec.Name]
		delete(observed, spec.Name)
		if !found {
			if err := c.createLogGroup(ctx, stackName, spec); err != nil {
				return err
			}
			continue
		}
		if err := c.repairLogGroup(ctx, o, spec); err != nil {
			return err
		}
	}
	if keep {
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(observed)) {
		if err := c.deleteLogGroup(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

func (c *Clients) createLogGroup(ctx context.Context, stackName string, spec blueprint.LogGroupSpec) error {
	in := &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(spec.Name), Tags: WithOwner(stackName, spec.Tags)}
	in.KmsKeyId = nonEmpty(spec.KMSKeyARN)
	tflog.Info(ctx, "creating log group", map[string]any{"log_group": spec.Name})
	_, err := c.Logs.CreateLogGroup(ctx, in)
	var exists *cwltypes.ResourceAlreadyExistsException
	if err != nil && !asType(err, &exists) {
		return wrap(componentLogGroup, "create", spec.Name, err)
	}
	return c.repairLogGroup(ctx, ObservedLogGroup{Name: spec.Name, KMSKeyARN: spec.KMSKeyARN}, spec)
}

// repairLogGroup sets the retention and KMS key a log group should have.
func (c *Clients) repairLogGroup(ctx context.Context, o ObservedLogGroup, spec blueprint.LogGroupSpec) error {
	if o.RetentionDays != spec.RetentionDays {
		_, err := c.Logs.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(spec.Name), RetentionInDays: aws.Int32(int32(spec.RetentionDays))})
		if err != nil {
			return wrap(componentLogGroup, "set retention of", spec.Name, err)
		}
	}
	switch {
	case o.KMSKeyARN == spec.KMSKeyARN:
	case spec.KMSKeyARN == "":
		if _, err := c.Logs.DisassociateKmsKey(ctx, &cloudwatchlogs.DisassociateKmsKeyInput{LogGroupName: aws.String(spec.Name)}); err != nil {
			return wrap(componentLogGroup, "remove the KMS key of", spec.Name, err)
		}
	default:
		if _, err := c.Logs.AssociateKmsKey(ctx, &cloudwatchlogs.AssociateKmsKeyInput{LogGroupName: aws.String(spec.Name), KmsKeyId: aws.String(spec.KMSKeyARN)}); err != nil {
			return wrap(componentLogGroup, "set the KMS key of", spec.Name, err)
		}
	}
	return nil
}

func (c *Clients) deleteLogGroup(ctx context.Context, name string) error {
	tflog.Info(ctx, "deleting log group", map[string]any{"log_group": name})
	_, err := c.Logs.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String(name)})
	var notFound *cwltypes.ResourceNotFoundException
	if err != nil && !asType(err, &notFound) {
		return wrap(componentLogGroup, "delete", name, err)
	}
	return nil
}

// DeleteStackLogGroups deletes the log groups of the stack's log types (destroy).
func (c *Clients) DeleteStackLogGroups(ctx context.Context, stackName string) error {
	for _, t := range []string{blueprint.LogTypeSlow, blueprint.LogTypeEngine} {
		if err := c.deleteLogGroup(ctx, blueprint.LogGroupName(stackName, t)); err != nil {
			return err
		}
	}
	return nil
}

// logDeliveryRequests renders the spec's log deliveries for CreateReplicationGroup.
func logDeliveryRequests(specs []blueprint.LogDeliverySpec) []ectypes.LogDeliveryConfigurationRequest {
	var out []ectypes.LogDeliveryConfigurationRequest
	for _, d := range specs {
		r := ectypes.LogDeliveryConfigurationRequest{
			LogType: ectypes.LogType(d.LogType), DestinationType: ectypes.DestinationType(d.DestinationType),
			LogFormat: ectypes.LogFormat(d.Format), Enabled: aws.Bool(true), DestinationDetails: &ectypes.DestinationDetails{},
		}
		if d.DestinationType == blueprint.DestinationFirehose {
			r.DestinationDetails.KinesisFirehoseDetails = &ectypes.KinesisFirehoseDestinationDetails{DeliveryStream: aws.String(d.Destination)}
		} else {
			r.DestinationDetails.CloudWatchLogsDetails = &ectypes.CloudWatchLogsDestinationDetails{LogGroup: aws.String(d.Destination)}
		}
		out = append(out, r)
	}
	return out
}

// observeLogDeliveries reads the group's enabled log deliveries, sorted by log type.
func observeLogDeliveries(configs []ectypes.LogDeliveryConfiguration) []blueprint.LogDeliverySpec {
	var out []blueprint.LogDeliverySpec
	for _, l := range configs {
		if string(l.Status) == logDeliveryDisabled || string(l.Status) == "disabling" {
			continue
		}
		d := blueprint.LogDeliverySpec{LogType: string(l.LogType), DestinationType: string(l.DestinationType), Format: string(l.LogFormat)}
		if det := l.DestinationDetails; det != nil {
			if det.CloudWatchLogsDetails != nil {
				d.Destination = aws.ToString(det.CloudWatchLogsDetails.LogGroup)
			}
			if det.KinesisFirehoseDetails != nil {
				d.Destination = aws.ToString(det.KinesisFirehoseDetails.DeliveryStream)
			}
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LogType > out[j].LogType }) // slow-log before engine-log, as specs list them
	return out
}

// SyncLogDelivery changes the group's log delivery to the spec's in one ModifyReplicationGroup
// with ApplyImmediately: AWS applies log delivery changes only immediately (hashicorp/aws
// #49842). Log types no longer wanted are sent with Enabled = false.
func (c *Clients) SyncLogDelivery(ctx context.Context, id string, observed, want []blueprint.LogDeliverySpec) error {
	if logDeliveriesEqual(observed, want) {
		return nil
	}
	requests := logDeliveryRequests(want)
	for _, o := range observed {
		if !hasLogType(want, o.LogType) {
			requests = append(requests, ectypes.LogDeliveryConfigurationRequest{LogType: ectypes.LogType(o.LogType), Enabled: aws.Bool(false)})
		}
	}
	tflog.Info(ctx, "changing log delivery", map[string]any{"replication_group_id": id})
	_, err := c.ElastiCache.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{
		ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), LogDeliveryConfigurations: requests,
	})
	if err != nil {
		return wrap(componentReplicationGroup, "modify log delivery of", id, err)
	}
	return c.WaitReplicationGroupAvailable(ctx, id)
}

func logDeliveriesEqual(a, b []blueprint.LogDeliverySpec) bool {
	if len(a) != len(b) {
		return false
	}
	for _, d := range a {
		found := false
		for _, e := range b {
			found = found || d == e
		}
		if !found {
			return false
		}
	}
	return true
}

func hasLogType(specs []blueprint.LogDeliverySpec, logType string) bool {
	for _, d := range specs {
		if d.LogType == logType {
			return true
		}
	}
	return false
}
