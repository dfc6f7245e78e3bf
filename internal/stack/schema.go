package stack

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// defaults are the provisioned block's defaults, decided in blueprint.DefaultProvisioned.
var defaults = blueprint.DefaultProvisioned()

func quoted(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "`" + v + "`"
	}
	return strings.Join(q, ", ")
}

func provisionedAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"node_type":               types.StringType,
		"shards":                  types.Int64Type,
		"replicas_per_shard":      types.Int64Type,
		"multi_az":                types.BoolType,
		"eviction_policy":         types.StringType,
		"parameters":              types.MapType{ElemType: types.StringType},
		"snapshot_retention_days": types.Int64Type,
		"snapshot_window":         types.StringType,
		"maintenance_window":      types.StringType,
		"final_snapshot_name":     types.StringType,
		"apply_immediately":       types.BoolType,
		"num_nodes":               types.Int64Type,
		// Placement and upgrades (issue 17 §4).
		"auto_minor_version_upgrade":   types.BoolType,
		"preferred_availability_zones": types.ListType{ElemType: types.StringType},
		"autoscaling":                  autoscalingAttrType(),
	}
}

// defaultProvisioned is the provisioned block's default as an object value.
func defaultProvisioned() types.Object {
	obj, diags := types.ObjectValueFrom(context.Background(), provisionedAttrTypes(), defaultProvisionedModel())
	if diags.HasError() {
		panic(fmt.Sprintf("provisioned defaults do not match the schema: %v", diags))
	}
	return obj
}

func (r *StackResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) { //nolint:funlen // declarative schema definition
	resp.Schema = schema.Schema{
		MarkdownDescription: "A production-grade ElastiCache deployment in one block: a cache subnet group, a least-privilege " +
			"security group, a parameter group carrying the eviction policy, and a Multi-AZ, TLS, encrypted-at-rest " +
			"Valkey or Redis OSS replication group (cluster mode when `shards > 1`). The plan shows what a change " +
			"disrupts as warnings.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The stack name, which is also the replication group id.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: fmt.Sprintf("Name of the stack: lowercase letters, digits and hyphens, starting with a letter, at most %d characters. "+
					"It names every component (replication group, subnet group, parameter group, `elasticache-<name>` security group). Changing it replaces the stack.", blueprint.MaxNameLength),
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"mode": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:             stringdefault.StaticString(blueprint.DefaultMode),
				MarkdownDescription: "Deployment mode: " + quoted(blueprint.Modes) + ". Changing it replaces the stack.",
				Validators:          []validator.String{stringvalidator.OneOf(blueprint.Modes...)},
			},
			"engine": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:             stringdefault.StaticString(blueprint.DefaultEngine),
				MarkdownDescription: "Cache engine: " + quoted(blueprint.Engines) + ". `redis` to `valkey` changes in place; any other change replaces the stack.",
				Validators:          []validator.String{stringvalidator.OneOf(blueprint.Engines...)},
			},
			"engine_version": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Engine version as `MAJOR.MINOR`; defaults to `8.0` for valkey and `7.1` for redis. Upgrades are in place; downgrades replace the stack.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"alarms":                 alarmsSchema(),
			"expected_load":          expectedLoadSchema(),
			"cost":                   costSchema(),
			"recommendations":        recommendationsSchema(),
			"alarm_names":            computedStringList("Names of the stack's CloudWatch alarms, all starting with `elasticache/<name>/`; known at plan time."),
			"alarm_arns":             computedStringList("ARNs of the stack's CloudWatch alarms."),
			"alarm_definitions":      computedStringMap("Each alarm's definition as observed in CloudWatch (metric, statistic, threshold, periods, dimension, missing-data treatment, actions). An alarm deleted or edited outside Terraform shows here as a change in the next plan, and apply restores it."),
			"serverless":             serverlessSchema(),
			"endpoint":               computedString("Where clients connect, whatever the shape: the primary endpoint, the configuration endpoint in cluster mode or for Memcached, or the serverless endpoint."),
			"network":                networkSchema(),
			"provisioned":            provisionedSchema(),
			"security":               securitySchema(),
			"logs":                   logsSchema(),
			"restore_from":           restoreFromSchema(),
			"notification_topic_arn": schema.StringAttribute{Optional: true, MarkdownDescription: "SNS topic that receives ElastiCache events (failovers, maintenance)."},
			"tags":                   schema.MapAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "Tags for every component. Provider `default_tags` are merged in; these win."},
			"tags_all":               computedStringMap("Tags of the stack's components: `tags` merged over the provider's `default_tags`."),
			"timeouts":               timeouts.Attributes(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),

			"arn":                    computedString("ARN of the replication group."),
			"primary_endpoint":       computedString("Address of the primary endpoint (writes). Empty with cluster mode, where `configuration_endpoint` is used."),
			"reader_endpoint":        computedString("Address of the reader endpoint, which balances reads over the replicas."),
			"configuration_endpoint": computedString("Address of the configuration endpoint, for cluster-aware clients; set when cluster mode is on."),
			"port":                   schema.Int64Attribute{Computed: true, MarkdownDescription: "Port the endpoints listen on."},
			"security_group_id":      computedString("ID of the stack's security group."),
			"subnet_group_name":      computedString("Name of the stack's cache subnet group."),
			"parameter_group_name":   computedString("Name of the stack's cache parameter group."),
			"vpc_id":                 computedString("VPC of the stack, derived from `network.subnet_ids`."),
			"cluster_mode_enabled":   schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether cluster mode is on (it turns on with more than one shard and stays on)."},
			"member_clusters":        computedStringList("IDs of the member cache clusters (`<name>-001`, or `<name>-0001-001` with cluster mode); known at plan time."),
			"security_group_rules":   computedStringList("The security group's rules as observed, one line each (`ingress tcp/6379 from sg-...`). A rule added outside Terraform shows here as a change in the next plan, and apply removes it."),
		},
	}
	maps.Copy(resp.Schema.Attributes, preserveSchema())
	maps.Copy(resp.Schema.Attributes, globalAttributes())
}

func computedString(description string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: description}
}

func computedStringList(description string) schema.ListAttribute {
	return schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: description}
}

func computedStringMap(description string) schema.MapAttribute {
	return schema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: description}
}

// optionalStringSet is an optional set of strings that is empty, not null, when not set: a plan then
// never shows it changing from null to [].
func optionalStringSet(description string) schema.SetAttribute {
	return schema.SetAttribute{
		Optional: true, Computed: true, ElementType: types.StringType,
		Default:             setdefault.StaticValue(types.SetValueMust(types.StringType, nil)),
		MarkdownDescription: description,
	}
}

func networkSchema() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Required:            true,
		MarkdownDescription: "Where the cache lives and who may reach it.",
		Attributes: map[string]schema.Attribute{
			"subnet_ids": schema.SetAttribute{
				Required: true, ElementType: types.StringType,
				MarkdownDescription: "Private subnets for the cache nodes, all in one VPC; give subnets in at least two Availability Zones for Multi-AZ.",
				Validators:          []validator.Set{setvalidator.SizeAtLeast(1)},
			},
			"allowed_security_group_ids": optionalStringSet("Security groups of the applications allowed to connect on `port`. This is the least-privilege way to admit clients."),
			"allowed_cidr_blocks":        optionalStringSet("CIDR blocks allowed to connect on `port`. Blocks open to the world (`0.0.0.0/0`, `::/0`) are rejected."),
			"port": schema.Int64Attribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Port of the cache: 6379 for Valkey and Redis, 11211 for Memcached unless set. Changing it replaces the stack.",
				Validators:          []validator.Int64{int64validator.Between(1024, 65535)},
			},
			// Placement (issue 17 §4).
			"additional_security_group_ids": optionalStringSet("Security groups managed elsewhere (shared platform groups: monitoring agents, VPC endpoints, org-wide baselines) attached to the cache next to the stack's own group. " +
				"The stack never edits their rules; they must be in the subnets' VPC. Changes in place; a group removed outside Terraform shows as a change in the next plan."),
			"type": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(blueprint.DefaultNetworkType),
				MarkdownDescription: "IP protocols of the cache: " + quoted(blueprint.NetworkTypes) + ". `ipv6` needs IPv6-only subnets, `dual_stack` subnets with IPv4 and IPv6 ranges; both need Valkey 7.2+, Redis OSS 6.2+ or Memcached 1.6.6+ on a Nitro node type (checked at plan). " +
					"Changing it replaces the stack (AWS fixes it at creation).",
				Validators: []validator.String{stringvalidator.OneOf(blueprint.NetworkTypes...)},
			},
			"ip_discovery": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "IP version the nodes advertise to cluster discovery (node-based caches): " + quoted(blueprint.IPDiscoveries) + ". Defaults to `ipv6` for `type = \"ipv6\"`, else `ipv4`. " +
					"`ipv6` needs `type` `dual_stack` or `ipv6`. Changes in place.",
				Validators: []validator.String{stringvalidator.OneOf(blueprint.IPDiscoveries...)},
			},
		},
	}
}

func provisionedSchema() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional: true, Computed: true,
		Default:             objectdefault.StaticValue(defaultProvisioned()),
		MarkdownDescription: "Settings of the node-based replication group. Omitted, it takes the defaults below.",
		Attributes: map[string]schema.Attribute{
			"node_type": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(defaults.NodeType),
				MarkdownDescription: "Node type, `cache.<family>.<size>`; families: " + quoted(blueprint.NodeTypeFamilies()) + ". Changes in place (online scaling with a failover).",
			},
			"shards": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(int64(defaults.Shards)),
				MarkdownDescription: "Number of shards (node groups), 1 to 500. More than one turns cluster mode on. Changes in place by online resharding.",
				Validators:          []validator.Int64{int64validator.Between(1, 500)},
			},
			"replicas_per_shard": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(int64(defaults.ReplicasPerShard)),
				MarkdownDescription: "Replicas per shard, 0 to 5. Automatic failover and Multi-AZ need at least 1. Changes in place.",
				Validators:          []validator.Int64{int64validator.Between(0, 5)},
			},
			"multi_az": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Place replicas in other Availability Zones and fail over automatically.",
			},
			"eviction_policy": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(defaults.EvictionPolicy),
				MarkdownDescription: "`maxmemory-policy` written to the stack's parameter group: " + quoted(blueprint.EvictionPolicies) + ".",
				Validators:          []validator.String{stringvalidator.OneOf(blueprint.EvictionPolicies...)},
			},
			"parameters": schema.MapAttribute{
				Optional: true, Computed: true, ElementType: types.StringType,
				Default:             mapdefault.StaticValue(types.MapValueMust(types.StringType, map[string]attr.Value{})),
				MarkdownDescription: "Any other engine parameter for the parameter group, e.g. `{ timeout = \"300\" }`. `maxmemory-policy` and `cluster-enabled` are set by the stack.",
			},
			"snapshot_retention_days": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(int64(defaults.SnapshotRetentionDays)),
				MarkdownDescription: "Days to keep automatic snapshots, 0 (off) to 35.",
				Validators:          []validator.Int64{int64validator.Between(0, 35)},
			},
			"snapshot_window": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(defaults.SnapshotWindow),
				MarkdownDescription: "Daily snapshot window, `hh24:mi-hh24:mi` UTC, at least 60 minutes, apart from the maintenance window.",
			},
			"maintenance_window": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(defaults.MaintenanceWindow),
				MarkdownDescription: "Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` UTC, at least 60 minutes.",
			},
			"final_snapshot_name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "When set, destroying or replacing the stack first takes a snapshot with this name.",
			},
			"num_nodes": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: fmt.Sprintf("Memcached only: number of nodes, 1 to 40, spread over the subnets' zones (default %d). Changes in place; removed nodes lose their keys.", blueprint.DefaultMemcachedNodes),
			},
			"autoscaling": autoscalingSchema(),
			"apply_immediately": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Apply node type and engine version changes now instead of in the maintenance window. The plan says which changes wait. The primary of a global datastore applies them now whatever this says: AWS changes a datastore only at once.",
			},
			// Placement and upgrades (issue 17 §4).
			"auto_minor_version_upgrade": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(defaults.AutoMinorVersionUpgrade),
				MarkdownDescription: "Let AWS apply minor engine upgrades in the maintenance window (AWS's default, `true`). Set `false` for change-controlled fleets that upgrade through `engine_version` only. Changes in place.",
			},
			"preferred_availability_zones": schema.ListAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Availability Zones of each shard's nodes, primary first (`1 + replicas_per_shard` zones; in cluster mode every shard gets this layout), or of the Memcached nodes (`num_nodes` zones). " +
					"Zones must have one of `network.subnet_ids` (checked at plan); a zone may repeat. Omitted, AWS spreads the nodes. " +
					"Used when AWS creates nodes: at creation, and for replicas or Memcached nodes added later (the list then names the grown layout). A change moves no existing node (the plan says so).",
				Validators: []validator.List{listvalidator.SizeAtLeast(1)},
			},
		},
	}
}

func securitySchema() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional:            true,
		MarkdownDescription: "Encryption and authentication. TLS in transit and encryption at rest are always on.",
		Attributes: map[string]schema.Attribute{
			"transit_encryption_mode": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(blueprint.DefaultTransitEncryptionMode),
				MarkdownDescription: "`required` (only TLS connections) or `preferred` (TLS and plaintext, only while migrating clients).",
				Validators:          []validator.String{stringvalidator.OneOf(blueprint.TransitEncryptionModes...)},
			},
			"kms_key_arn": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Customer managed KMS key for encryption at rest; the AWS managed key when omitted. Changing it replaces the stack.",
			},
			"auth_token_wo": schema.StringAttribute{
				Optional: true, Sensitive: true, WriteOnly: true,
				MarkdownDescription: "AUTH token (16 to 128 characters: letters, digits and `! & # $ ^ < > -`). Write-only: it is sent to AWS and never stored in state or plan. Requires Terraform 1.11 or later. Set `auth_token_wo_version` with it and increase it to rotate.",
			},
			"auth_token_wo_version": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "Version of `auth_token_wo`. Terraform cannot see write-only values, so a change of this number is what makes the provider send a new token (ROTATE, then SET).",
			},
			"user_group_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "RBAC user group created elsewhere, attached instead of an AUTH token. Not with `users`.",
			},
			"users": usersSchema(),
		},
	}
}

func alarmOverrideAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{"enabled": types.BoolType, "threshold": types.Float64Type}
}

func alarmsAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"enabled":       types.BoolType,
		"alarm_actions": types.SetType{ElemType: types.StringType},
		"ok_actions":    types.SetType{ElemType: types.StringType},
		"overrides":     types.MapType{ElemType: types.ObjectType{AttrTypes: alarmOverrideAttrTypes()}},
	}
}

func defaultAlarms() types.Object {
	return types.ObjectValueMust(alarmsAttrTypes(), map[string]attr.Value{
		"enabled":       types.BoolValue(true),
		"alarm_actions": types.SetValueMust(types.StringType, nil),
		"ok_actions":    types.SetValueMust(types.StringType, nil),
		"overrides":     types.MapValueMust(types.ObjectType{AttrTypes: alarmOverrideAttrTypes()}, map[string]attr.Value{}),
	})
}

func alarmsSchema() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional: true, Computed: true,
		Default:             objectdefault.StaticValue(defaultAlarms()),
		MarkdownDescription: "CloudWatch alarms with the field's thresholds, one set per member cluster (see the alarm table below). On by default.",
		Attributes: map[string]schema.Attribute{
			"enabled": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Create the alarms. `false` removes them all.",
			},
			"alarm_actions": optionalStringSet("ARNs notified when an alarm fires (SNS topics, for example)."),
			"ok_actions":    optionalStringSet("ARNs notified when an alarm returns to OK."),
			"overrides": schema.MapNestedAttribute{
				Optional: true, Computed: true,
				Default:             mapdefault.StaticValue(types.MapValueMust(types.ObjectType{AttrTypes: alarmOverrideAttrTypes()}, map[string]attr.Value{})),
				MarkdownDescription: "Per-alarm changes keyed by alarm: " + quoted(blueprint.AlarmKeys) + ".",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"enabled":   schema.BoolAttribute{Optional: true, MarkdownDescription: "`false` drops this alarm."},
					"threshold": schema.Float64Attribute{Optional: true, MarkdownDescription: "Threshold in the metric's unit (percent, count, seconds, bytes)."},
				}},
			},
		},
	}
}

func serverlessSchema() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional:            true,
		MarkdownDescription: "Settings of a serverless cache (`mode = \"serverless\"`). It scales by itself; these are its usage limits and snapshots. TLS is always on; authentication is RBAC through `security.user_group_id`.",
		Attributes: map[string]schema.Attribute{
			"max_data_storage_gb": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: fmt.Sprintf("Most data the cache may hold, %d to %d GB; omitted, unlimited.", blueprint.MinServerlessDataGB, blueprint.MaxServerlessDataGB),
			},
			"max_ecpu_per_second": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "Most ElastiCache Processing Units per second, 1,000 to 15,000,000; omitted, unlimited. Requests beyond it are throttled.",
			},
			"min_data_storage_gb": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Pre-warming: data storage the cache keeps ready and is billed for at least, %d to %d GB, at most `max_data_storage_gb`; omitted, none. "+
					"Set it before a launch and remove it after (removing sends `Minimum = 0`, as AWS requires). `cost` prices it as a floor.", blueprint.MinServerlessDataGB, blueprint.MaxServerlessDataGB),
			},
			"min_ecpu_per_second": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "Pre-warming: ElastiCache Processing Units per second the cache is scaled for and billed for at least, 1,000 to 15,000,000, at most `max_ecpu_per_second`; omitted, none. `cost` prices it as a floor.",
			},
			"daily_snapshot_time": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Start of the daily snapshot, `hh24:mi` UTC (Valkey and Redis only); AWS picks one when omitted.",
			},
			"snapshot_retention_days": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(0),
				MarkdownDescription: "Days to keep daily snapshots, 0 (off) to 35 (Valkey and Redis only).",
			},
			"final_snapshot_name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Name of a snapshot AWS takes when the stack is destroyed or replaced (`DeleteServerlessCache` `FinalSnapshotName`); omitted, none. Starts with a letter; letters, digits and hyphens.",
			},
		},
	}
}
