package stack

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// restoreFromModel is the restore_from block: where a new cache's data comes from.
type restoreFromModel struct {
	SnapshotName types.String `tfsdk:"snapshot_name"`
	RDBS3ARNs    types.List   `tfsdk:"rdb_s3_arns"`
	SnapshotARNs types.List   `tfsdk:"snapshot_arns"`
}

func restoreFromSchema() schema.SingleNestedAttribute {
	arns := func(description string) schema.ListAttribute {
		return schema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: description,
			Validators: []validator.List{listvalidator.SizeAtLeast(1)}}
	}
	return schema.SingleNestedAttribute{
		Optional: true,
		MarkdownDescription: "Data the cache starts from, read when the cache is created only: a later change restores nothing, " +
			"replaces nothing, and the plan says so. Set one of the attributes. Compatibility (engine, cluster mode, kind) is " +
			"checked at plan time; see the *Restoring and keeping data* guide for the pairs AWS supports.",
		Attributes: map[string]schema.Attribute{
			"snapshot_name": schema.StringAttribute{Optional: true,
				MarkdownDescription: "Name of an ElastiCache snapshot of a node-based Valkey or Redis OSS cache (`mode = \"provisioned\"`)."},
			"rdb_s3_arns": arns("ARNs of RDB files in S3 (`arn:aws:s3:::bucket/key.rdb`) that seed a node-based Valkey or Redis OSS cache " +
				"(`mode = \"provisioned\"`); ElastiCache must be allowed to read them. In cluster mode the provider gives each shard its slot range, as AWS requires."),
			"snapshot_arns": arns("ARNs of the snapshots a serverless cache starts from (`mode = \"serverless\"`): serverless cache " +
				"snapshots, or snapshots of node-based Valkey or Redis OSS caches."),
		},
	}
}

// preserveSchema holds preserve_data_on_replace, keep_preserve_snapshot and
// preserve_snapshot_name.
func preserveSchema() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"preserve_data_on_replace": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false),
			MarkdownDescription: "When a change replaces the stack (mode, port, KMS key, engine downgrade, name), snapshot the old cache " +
				"before deleting it and restore that snapshot into the new one, so the data survives. The snapshot is `<old name>-preserve`; " +
				"an interrupted replacement finds it on the next apply. A replacement AWS cannot restore across (for example from " +
				"cluster mode into one shard, or from Memcached) fails at plan time."},
		"keep_preserve_snapshot": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false),
			MarkdownDescription: "Keep the snapshot of a preserving replacement after the restore (it is deleted by default). A kept snapshot is replaced by the next preserving replacement."},
		"preserve_snapshot_name": schema.StringAttribute{Computed: true,
			MarkdownDescription: "The snapshot the last preserving replacement carried the data through (known at plan time), or null."},
	}
}

// restoreInput reads restore_from and the preserve settings into in.
func (r *reader) restore(ctx context.Context, m stackModel) diag.Diagnostics {
	var diags diag.Diagnostics
	r.in.PreserveDataOnReplace = r.boolean(blueprint.AttrPreserveDataOnReplace, m.PreserveDataOnReplace)
	r.in.KeepPreserveSnapshot = r.boolean(blueprint.AttrKeepPreserveSnapshot, m.KeepPreserveSnapshot)
	rf := m.RestoreFrom
	if rf == nil {
		return diags
	}
	r.in.RestoreFrom.SnapshotName = r.str(blueprint.AttrRestoreFrom, rf.SnapshotName)
	for _, l := range []struct {
		v   types.List
		dst *[]string
	}{{rf.RDBS3ARNs, &r.in.RestoreFrom.RDBS3ARNs}, {rf.SnapshotARNs, &r.in.RestoreFrom.SnapshotARNs}} {
		if l.v.IsUnknown() {
			r.unknown(blueprint.AttrRestoreFrom, true)
			continue
		}
		if !l.v.IsNull() {
			diags.Append(l.v.ElementsAs(ctx, l.dst, true)...)
		}
	}
	return diags
}

// restoreFromChanged reports whether restore_from differs between state and plan.
func restoreFromChanged(state, plan *restoreFromModel) bool {
	if state == nil || plan == nil {
		return (state == nil) != (plan == nil)
	}
	return !state.SnapshotName.Equal(plan.SnapshotName) || !state.RDBS3ARNs.Equal(plan.RDBS3ARNs) || !state.SnapshotARNs.Equal(plan.SnapshotARNs)
}

// privatePreserveKey is the private-state key through which the plan of a preserving
// replacement tells the Delete half to snapshot the old cache first: Terraform passes the
// planned private state to the delete of a replacement, and Delete sees nothing else of the
// new configuration.
const privatePreserveKey = "preserve_snapshot"

type preservePrivate struct {
	Snapshot string `json:"snapshot"`
}

func setPreservePrivate(ctx context.Context, resp *resource.ModifyPlanResponse, snapshot string) diag.Diagnostics {
	raw, err := json.Marshal(preservePrivate{Snapshot: snapshot})
	if err != nil {
		var d diag.Diagnostics
		d.AddError("Cannot record the preserve snapshot", err.Error())
		return d
	}
	return resp.Private.SetKey(ctx, privatePreserveKey, raw)
}

// preserveSnapshotOf reads the snapshot the Delete half must take, "" for none.
func preserveSnapshotOf(ctx context.Context, get func(context.Context, string) ([]byte, diag.Diagnostics)) (string, diag.Diagnostics) {
	raw, diags := get(ctx, privatePreserveKey)
	if len(raw) == 0 || diags.HasError() {
		return "", diags
	}
	var p preservePrivate
	if err := json.Unmarshal(raw, &p); err != nil {
		diags.AddError("Cannot read the preserve snapshot", fmt.Sprintf("private state %s: %v", privatePreserveKey, err))
	}
	return p.Snapshot, diags
}

// planPreserve sets preserve_snapshot_name and the private note for the Delete half of a
// replacement. prior is nil for a new stack. The snapshot is named after the stack being
// replaced; while preservation is on, the name stays what state says.
func planPreserve(ctx context.Context, resp *resource.ModifyPlanResponse, plan *stackModel, prior *stackModel, want blueprint.Input, replacing bool) {
	if !want.Known(blueprint.AttrPreserveDataOnReplace) || !want.Known(blueprint.AttrName) {
		plan.PreserveSnapshotName = types.StringUnknown()
		return
	}
	if !want.PreserveDataOnReplace || !want.Shape().HasSnapshots() {
		plan.PreserveSnapshotName = types.StringNull()
		return
	}
	name := blueprint.PreserveSnapshotName(want.Name)
	switch {
	case prior == nil:
	case replacing:
		name = blueprint.PreserveSnapshotName(prior.Name.ValueString())
	case !prior.PreserveSnapshotName.IsNull() && !prior.PreserveSnapshotName.IsUnknown():
		name = prior.PreserveSnapshotName.ValueString()
	}
	plan.PreserveSnapshotName = types.StringValue(name)
	// Also on an update plan: Terraform replaces a tainted stack after planning it as an
	// update, and its Delete must snapshot too. Create and Update clear the note again.
	if prior != nil && !prior.ARN.IsNull() && prior.Mode.ValueString() != "" &&
		blueprint.ShapeOf(prior.Mode.ValueString(), prior.Engine.ValueString()).HasSnapshots() {
		resp.Diagnostics.Append(setPreservePrivate(ctx, resp, name)...)
	}
}

// clearPreservePrivate drops the note once a create or update has run, so a later destroy
// does not snapshot.
func clearPreservePrivate(ctx context.Context, set func(context.Context, string, []byte) diag.Diagnostics) diag.Diagnostics {
	return set(ctx, privatePreserveKey, nil)
}

// checkRestoreSource asks AWS, at plan time of a new stack, whether the restore_from snapshot
// exists and fits the stack (engine, cluster mode, kind): a read-only call, so a wrong pair
// fails the plan and creates nothing. RDB files in S3 are AWS's to read at create.
func (r *StackResource) checkRestoreSource(ctx context.Context, want blueprint.Input) diag.Diagnostics {
	var diags diag.Diagnostics
	src := want.RestoreFrom
	if r.clients == nil || src.Empty() || !want.Known(blueprint.AttrRestoreFrom) || !want.Known(blueprint.AttrMode) ||
		!want.Known(blueprint.AttrEngine) || !want.Known(blueprint.AttrProvisionedShards) {
		return diags
	}
	type lookup struct {
		attr blueprint.Attr
		find func() (string, bool, error)
	}
	var lookups []lookup
	var facts []blueprint.SnapshotFacts
	if src.SnapshotName != "" {
		lookups = append(lookups, lookup{blueprint.AttrRestoreFromSnapshotName, func() (string, bool, error) {
			s, found, err := r.clients.FindSnapshot(ctx, src.SnapshotName)
			facts = append(facts, s.SnapshotFacts)
			return src.SnapshotName, found && !s.Serverless, err
		}})
	}
	for _, arn := range src.SnapshotARNs {
		lookups = append(lookups, lookup{blueprint.AttrRestoreFromSnapshotARNs, func() (string, bool, error) {
			s, found, err := r.clients.SnapshotByARN(ctx, arn)
			facts = append(facts, s.SnapshotFacts)
			return arn, found, err
		}})
	}
	for _, l := range lookups {
		what, found, err := l.find()
		switch {
		case err != nil:
			diags.AddAttributeError(attributePath(l.attr), "Cannot check the snapshot to restore", err.Error())
		case !found:
			diags.AddAttributeError(attributePath(l.attr), "Snapshot to restore not found",
				fmt.Sprintf("Attribute %s: no snapshot %s in %s; list them with aws elasticache describe-snapshots / describe-serverless-cache-snapshots.", l.attr, what, r.clients.Region))
		default:
			if why := blueprint.RestoreFits(facts[len(facts)-1], want); why != "" {
				diags.AddAttributeError(attributePath(l.attr), "Snapshot cannot be restored into this stack", "Attribute "+l.attr.String()+": "+why+".")
			}
		}
	}
	return diags
}

// preservedSource finds the snapshot a preserving replacement took of the cache this create
// replaces (by the name the plan carries) and returns how to restore it; found is false when
// there is none (the first create, or a replacement that kept nothing).
func (r *StackResource) preservedSource(ctx context.Context, plan stackModel, shape blueprint.Shape) (awsops.Snapshot, bool, error) {
	name := plan.PreserveSnapshotName.ValueString()
	if name == "" || !plan.PreserveDataOnReplace.ValueBool() {
		return awsops.Snapshot{}, false, nil
	}
	s, found, err := r.clients.FindSnapshot(ctx, name)
	if err != nil || !found {
		return s, false, err
	}
	tflog.Info(ctx, "restoring the data of the replaced cache", map[string]any{"snapshot": name, "serverless_snapshot": s.Serverless})
	// A snapshot still being taken (an interrupted delete) is restored once it is complete.
	return s, true, r.clients.WaitSnapshotAvailable(ctx, name)
}

// finishPreserve deletes the snapshot a replacement restored from, unless it is to be kept.
func (r *StackResource) finishPreserve(ctx context.Context, plan stackModel, s awsops.Snapshot) error {
	if plan.KeepPreserveSnapshot.ValueBool() {
		return nil
	}
	return r.clients.DeleteSnapshot(ctx, s)
}

// snapshotBeforeDelete takes the preserve snapshot the plan of a replacement asked for
// (private state), before the cache is deleted.
func (r *StackResource) snapshotBeforeDelete(ctx context.Context, req resource.DeleteRequest, state stackModel) error {
	snapshot, diags := preserveSnapshotOf(ctx, req.Private.GetKey)
	if diags.HasError() {
		return fmt.Errorf("%s", diags.Errors()[0].Detail())
	}
	shape := blueprint.ShapeOf(state.Mode.ValueString(), state.Engine.ValueString())
	if snapshot == "" || state.ARN.IsNull() || !shape.HasSnapshots() {
		return nil
	}
	tflog.Info(ctx, "snapshotting the cache before the replacement deletes it", map[string]any{"snapshot": snapshot})
	if err := r.clients.TakeSnapshot(ctx, shape, state.Name.ValueString(), snapshot); err != nil {
		return fmt.Errorf("preserve_data_on_replace: %w\n\nThe cache was not deleted. Apply again, or set preserve_data_on_replace = false to replace it without keeping the data", err)
	}
	return nil
}

// importedPreserveDefaults gives an imported stack (nothing in state yet) the schema defaults
// of the settings AWS does not report, so the first plan shows no change for them.
func importedPreserveDefaults(m *stackModel) {
	if m.PreserveDataOnReplace.IsNull() {
		m.PreserveDataOnReplace = types.BoolValue(false)
	}
	if m.KeepPreserveSnapshot.IsNull() {
		m.KeepPreserveSnapshot = types.BoolValue(false)
	}
}
