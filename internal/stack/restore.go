package stack

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

func restoreFromSchema() schema.SingleNestedAttribute {
	arns := func(description string) schema.ListAttribute {
		return schema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: description,
			Validators: []validator.List{listvalidator.SizeAtLeast(1)}}
	}
	return schema.SingleNestedAttribute{
		MarkdownDescription: "Data the cache starts from, read when the cache is created only: a later change restores nothing, " +
			"replaces nothing, and the plan says so. Set one of the attributes. Compatibility (engine, cluster mode, kind) is " +
			"checked at plan time; see the *Restoring and keeping data* guide for the pairs AWS supports.",
		Attributes: map[string]schema.Attribute{
			"snapshot_name": schema.StringAttribute{Optional: true,
				MarkdownDescription: "Name of a snapshot of a node-based or serverless Valkey or Redis OSS cache, restored into a provisioned stack (`mode = \"provisioned\"`)."},
			"rdb_s3_arns": arns("ARNs of RDB files in S3 (`arn:aws:s3:::bucket/key.rdb`) that seed a node-based Valkey or Redis OSS cache " +
				"(`mode = \"provisioned\"`); ElastiCache must be allowed to read them. In cluster mode the provider gives each shard its slot range, as AWS requires."),
			"snapshot_arns": arns("ARNs of the snapshots a serverless cache starts from (`mode = \"serverless\"`): serverless cache " +
				"snapshots, or snapshots of node-based Valkey or Redis OSS caches."),
		},
		Optional: true,
	}
}

// preserveSchema holds preserve_data_on_replace, keep_preserve_snapshot and
// preserve_snapshot_name.
func preserveSchema() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"preserve_data_on_replace": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false),
			MarkdownDescription: "When a change replaces the stack (mode, port, KMS key, engine downgrade, name), snapshot the old cache " +
				"before deleting it and restore that snapshot into the new one, so the data survives. The snapshot is `<name>-preserve` (the name of the stack being created); " +
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
