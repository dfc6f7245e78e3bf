package stack

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// logsModel is the logs block.
type logsModel struct {
	Slow           types.Bool   `tfsdk:"slow"`
	Engine         types.Bool   `tfsdk:"engine"`
	Destination    types.String `tfsdk:"destination"`
	FirehoseStream types.String `tfsdk:"firehose_stream"`
	Format         types.String `tfsdk:"format"`
	RetentionDays  types.Int64  `tfsdk:"retention_days"`
	KMSKeyARN      types.String `tfsdk:"kms_key_arn"`
	KeepOnDestroy  types.Bool   `tfsdk:"keep_on_destroy"`
}

func logsSchema() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional: true,
		MarkdownDescription: "Slow and engine log delivery (Valkey and Redis OSS replication groups; not Memcached or serverless, which AWS delivers no logs from). " +
			"With `cloudwatch-logs` the stack creates the log groups `/elasticache/<name>/slow-log` and `/elasticache/<name>/engine-log` with the retention and key below, so nothing conflicts with them. " +
			"Changes are applied at once: AWS takes log delivery changes only with ApplyImmediately. Log ingestion and storage are not in `cost`.",
		Attributes: map[string]schema.Attribute{
			"slow":   schema.BoolAttribute{Optional: true, MarkdownDescription: "Deliver the slow log (SLOWLOG entries). Redis OSS 6.0+ or Valkey."},
			"engine": schema.BoolAttribute{Optional: true, MarkdownDescription: "Deliver the engine log. Redis OSS 6.2+ or Valkey."},
			"destination": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "`cloudwatch-logs` (default: log groups of the stack) or `kinesis-firehose` (with `firehose_stream`).",
				Validators:          []validator.String{stringvalidator.OneOf(blueprint.LogDestinations...)},
			},
			"firehose_stream": schema.StringAttribute{Optional: true, MarkdownDescription: "Kinesis Data Firehose delivery stream name, for `destination = \"kinesis-firehose\"`."},
			"format": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "`json` (default) or `text`.",
				Validators:          []validator.String{stringvalidator.OneOf(blueprint.LogFormats...)},
			},
			"retention_days": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: fmt.Sprintf("Days the log groups keep logs (default %d); one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...).", blueprint.DefaultLogRetention),
			},
			"kms_key_arn":     schema.StringAttribute{Optional: true, MarkdownDescription: "KMS key that encrypts the log groups (its key policy must allow CloudWatch Logs); AWS-owned encryption when omitted."},
			"keep_on_destroy": schema.BoolAttribute{Optional: true, MarkdownDescription: "Keep the log groups (and their logs) when the stack is destroyed or a log type is switched off."},
		},
	}
}

// logsFrom reads the logs block into the blueprint's terms.
func logsFrom(m *logsModel, unknown map[blueprint.Attr]bool) blueprint.Logs {
	if m == nil {
		return blueprint.Logs{}
	}
	for attr, v := range map[blueprint.Attr]interface{ IsUnknown() bool }{
		blueprint.AttrLogsSlow: m.Slow, blueprint.AttrLogsEngine: m.Engine, blueprint.AttrLogsDestination: m.Destination, blueprint.AttrLogsFirehoseStream: m.FirehoseStream,
		blueprint.AttrLogsFormat: m.Format, blueprint.AttrLogsRetentionDays: m.RetentionDays, blueprint.AttrLogsKMSKeyARN: m.KMSKeyARN,
	} {
		if v.IsUnknown() {
			unknown[attr], unknown[blueprint.AttrLogs] = true, true
		}
	}
	retention := int(m.RetentionDays.ValueInt64())
	if !m.RetentionDays.IsNull() && retention == 0 {
		retention = -1 // read back: the log group is gone (see observedLogs)
	}
	return blueprint.Logs{
		Configured: true, Slow: m.Slow.ValueBool(), Engine: m.Engine.ValueBool(),
		Destination: m.Destination.ValueString(), FirehoseStream: m.FirehoseStream.ValueString(), Format: m.Format.ValueString(),
		RetentionDays: retention, KMSKeyARN: m.KMSKeyARN.ValueString(), KeepOnDestroy: m.KeepOnDestroy.ValueBool(),
	}
}

// observedLogs is the logs block as AWS has it: the group's deliveries and the stack's log
// groups. Attributes left unset keep null while AWS shows their default, so there is no diff.
func observedLogs(prior *logsModel, deliveries []blueprint.LogDeliverySpec, groups map[string]awsops.ObservedLogGroup) *logsModel {
	if prior == nil && len(deliveries) == 0 {
		return nil
	}
	m := &logsModel{Slow: types.BoolNull(), Engine: types.BoolNull(), Destination: types.StringNull(), FirehoseStream: types.StringNull(),
		Format: types.StringNull(), RetentionDays: types.Int64Null(), KMSKeyARN: types.StringNull(), KeepOnDestroy: types.BoolNull()}
	if prior != nil {
		*m = *prior
	}
	has := map[string]bool{}
	for _, d := range deliveries {
		has[d.LogType] = true
	}
	m.Slow = observedFlag(m.Slow, has[blueprint.LogTypeSlow])
	m.Engine = observedFlag(m.Engine, has[blueprint.LogTypeEngine])
	if len(deliveries) == 0 {
		return m
	}
	d := deliveries[0]
	m.Destination = keepDefault(m.Destination, d.DestinationType, blueprint.DefaultLogDestination)
	m.Format = keepDefault(m.Format, d.Format, blueprint.DefaultLogFormat)
	if d.DestinationType == blueprint.DestinationFirehose {
		m.FirehoseStream = types.StringValue(d.Destination)
		return m
	}
	m.FirehoseStream = types.StringNull()
	if g, ok := groups[d.Destination]; ok {
		m.RetentionDays = keepDefaultInt(m.RetentionDays, g.RetentionDays, blueprint.DefaultLogRetention)
		m.KMSKeyARN = optionalString(g.KMSKeyARN)
	} else {
		m.RetentionDays = types.Int64Value(0) // the log group is gone: the next apply creates it
	}
	return m
}

func observedFlag(prior types.Bool, on bool) types.Bool {
	if prior.IsNull() && !on {
		return prior
	}
	return types.BoolValue(on)
}

func keepDefault(prior types.String, observed, def string) types.String {
	if prior.IsNull() && observed == def {
		return prior
	}
	return types.StringValue(observed)
}

func keepDefaultInt(prior types.Int64, observed, def int) types.Int64 {
	if prior.IsNull() && observed == def {
		return prior
	}
	return types.Int64Value(int64(observed))
}

// observeLogs fills the logs block from the cache's log deliveries and the stack's log groups
// (one describe, made only for a stack that has logs or delivers them).
func (r *StackResource) observeLogs(ctx context.Context, m *stackModel, prior stackModel, name string, deliveries []blueprint.LogDeliverySpec) error {
	if prior.Logs == nil && len(deliveries) == 0 {
		m.Logs = nil
		return nil
	}
	var groups map[string]awsops.ObservedLogGroup
	if len(deliveries) > 0 && deliveries[0].DestinationType == blueprint.DestinationCloudWatch {
		var err error
		if groups, err = r.clients.ObserveLogGroups(ctx, name); err != nil {
			return err
		}
	}
	m.Logs = observedLogs(prior.Logs, deliveries, groups)
	return nil
}
