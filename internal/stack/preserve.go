package stack

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// A preserving replacement is two calls Terraform makes separately: Delete (of the old stack)
// snapshots the cache first, and Create (of the new one) restores that snapshot. The plan tells
// Delete through private state, and Create finds the snapshot by the name the plan carries
// (preserve_snapshot_name), which derives from the stack name, so an apply interrupted between
// the two finishes on the next one.

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

// planPreserve sets preserve_snapshot_name and, for an existing stack, the private note that
// tells the Delete half of a replacement to snapshot. prior is nil for a new stack.
//
// The snapshot is named after the stack the replacement creates: Terraform plans the create
// again during apply without the prior state or its private state, so only the configuration
// can name it, while the Delete half learns the name from the note.
func planPreserve(ctx context.Context, resp *resource.ModifyPlanResponse, plan *stackModel, prior *stackModel, want blueprint.Input) {
	if !want.Known(blueprint.AttrPreserveDataOnReplace) || !want.Known(blueprint.AttrName) {
		plan.PreserveSnapshotName = types.StringUnknown()
		return
	}
	if !want.PreserveDataOnReplace || !want.Shape().HasSnapshots() {
		plan.PreserveSnapshotName = types.StringNull()
		return
	}
	name := blueprint.PreserveSnapshotName(want.Name)
	plan.PreserveSnapshotName = types.StringValue(name)
	// Also on an update plan: Terraform replaces a tainted stack after planning it as an update.
	// Delete snapshots only a cache that exists; Create and Update clear the note again.
	if prior != nil {
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
			return src.SnapshotName, found, err
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

// resolveRestoreFrom tells a node-based snapshot from a serverless one for
// restore_from.snapshot_name: AWS restores a serverless snapshot into a replication group
// through ServerlessCacheSnapshotName, a node-based one through SnapshotName.
func (r *StackResource) resolveRestoreFrom(ctx context.Context, in *blueprint.Input) error {
	name := in.RestoreFrom.SnapshotName
	if name == "" || in.Shape() != blueprint.ShapeReplicationGroup {
		return nil
	}
	s, found, err := r.clients.FindSnapshot(ctx, name)
	if found && s.Serverless {
		in.RestoreFrom = blueprint.RestoreSource{ServerlessSnapshotName: name}
	}
	return err
}
