package stack

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
	"github.com/cachestack/terraform-provider-elasticache/internal/driver"
)

// globalModel is the global block: this stack's part in a Global Datastore.
type globalModel struct {
	Role    types.String `tfsdk:"role"`
	Join    types.String `tfsdk:"join"`
	Promote types.Bool   `tfsdk:"promote"`
}

// globalAttributes are the global block and what AWS reports about the datastore.
func globalAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"global": schema.SingleNestedAttribute{
			Optional: true,
			MarkdownDescription: "Global Datastore: a Valkey / Redis OSS cache replicated to other regions, for disaster recovery and local reads. " +
				"`role = \"primary\"` creates the global datastore from this stack's replication group; a stack in another region (another provider configuration) " +
				"sets `join = <primary>.global_datastore_id` to become a secondary, which takes engine, version, node type, shards and parameters from the datastore. " +
				"Changes of those are made on the primary stack and reach every region. See the guide \"Surviving a region\".",
			Attributes: map[string]schema.Attribute{
				"role": schema.StringAttribute{
					Optional: true, MarkdownDescription: "`primary`: create the global datastore from this stack (its id is AWS's region prefix plus the stack name).",
					Validators: []validator.String{stringvalidator.OneOf(blueprint.RolePrimary)},
				},
				"join": schema.StringAttribute{
					Optional: true, MarkdownDescription: "Id of the global datastore this stack joins as a secondary (the primary stack's `global_datastore_id`). Changing it replaces the stack: AWS adds only new clusters as secondaries.",
				},
				"promote": schema.BoolAttribute{
					Optional: true, MarkdownDescription: "With `join`: fail the global datastore over to this stack, which becomes the primary (FailoverGlobalReplicationGroup). The plan warns what happens to writes.",
				},
			},
		},
		"global_datastore_id": computedString("Id of the global datastore the stack is a member of (AWS's region prefix, a hyphen and the primary stack's name)."),
		"global_role":         computedString("The stack's current role in its global datastore: `primary` or `secondary` (a failover changes it)."),
		"global_regions": schema.ListAttribute{
			Computed: true, ElementType: types.StringType,
			MarkdownDescription: "Regions of the global datastore's members, the primary's first.",
		},
	}
}

// readGlobal reads the global block and the observed membership into in.Global.
func (r *reader) global(m stackModel) {
	g := &r.in.Global
	if m.Global != nil {
		g.Role = r.str(blueprint.AttrGlobalRole, m.Global.Role)
		g.Join = r.str(blueprint.AttrGlobalJoin, m.Global.Join)
		g.Promote = r.boolean(blueprint.AttrGlobalPromote, m.Global.Promote)
	}
	g.DatastoreID = m.GlobalDatastoreID.ValueString()
	g.CurrentRole = m.GlobalRole.ValueString()
	if !m.GlobalRegions.IsNull() && !m.GlobalRegions.IsUnknown() {
		for _, e := range m.GlobalRegions.Elements() {
			if s, ok := e.(types.String); ok {
				g.Regions = append(g.Regions, s.ValueString())
			}
		}
	}
}

// joining reports whether the plan makes (or keeps) the stack a secondary, or may: a join
// not known yet (the primary is created in the same apply) counts.
func joining(plan stackModel) bool {
	return plan.Global != nil && (plan.Global.Join.IsUnknown() || plan.Global.Join.ValueString() != "")
}

// inheritedFromDatastore are the plan values a secondary takes from its datastore.
func inheritedFromDatastore(plan *stackModel) []*types.String {
	return []*types.String{&plan.Engine, &plan.EngineVersion, &plan.Provisioned.NodeType, &plan.Provisioned.EvictionPolicy}
}

// planGlobal plans the membership attributes and, for a secondary, the settings it inherits:
// from state when it exists (a change made on the primary shows there after refresh, as the
// datastore's and not as drift), else from the datastore itself, else unknown.
func (r *StackResource) planGlobal(ctx context.Context, req resource.ModifyPlanRequest, plan *stackModel, want *blueprint.Input) diag.Diagnostics {
	var diags diag.Diagnostics
	var state stackModel
	if !req.State.Raw.IsNull() {
		diags.Append(req.State.Get(ctx, &state)...)
	}
	r.planMembership(plan, state, req.State.Raw.IsNull())
	if !joining(*plan) || plan.Provisioned == nil {
		return diags
	}
	switch {
	case !req.State.Raw.IsNull() && state.Provisioned != nil && state.GlobalDatastoreID.ValueString() != "":
		plan.Engine, plan.EngineVersion = state.Engine, state.EngineVersion
		plan.Provisioned.NodeType, plan.Provisioned.Shards = state.Provisioned.NodeType, state.Provisioned.Shards
		plan.Provisioned.EvictionPolicy, plan.Provisioned.Parameters = state.Provisioned.EvictionPolicy, state.Provisioned.Parameters
		plan.ParameterGroupName = state.ParameterGroupName
	default:
		r.planInheritedAtCreate(ctx, plan)
	}
	*want = r.reread(ctx, *plan, &diags)
	return diags
}

// planInheritedAtCreate asks the datastore (when its id is known) for what a new secondary
// will run; the parameters and the group holding them are known after apply.
func (r *StackResource) planInheritedAtCreate(ctx context.Context, plan *stackModel) {
	for _, v := range inheritedFromDatastore(plan) {
		*v = types.StringUnknown()
	}
	plan.Provisioned.Shards = types.Int64Unknown()
	plan.Provisioned.Parameters = types.MapUnknown(types.StringType)
	plan.ParameterGroupName = types.StringUnknown()
	if r.clients == nil || plan.Global.Join.IsUnknown() {
		return
	}
	g, found, err := r.clients.ObserveGlobalDatastore(ctx, plan.Global.Join.ValueString())
	if err != nil || !found {
		return // apply will say what is wrong with the id
	}
	plan.Engine, plan.EngineVersion = types.StringValue(g.Engine), types.StringValue(g.EngineVersion)
	plan.Provisioned.NodeType, plan.Provisioned.Shards = types.StringValue(g.NodeType), types.Int64Value(int64(g.Shards))
}

func (r *StackResource) reread(ctx context.Context, plan stackModel, diags *diag.Diagnostics) blueprint.Input {
	in, d := inputFrom(ctx, plan, r.defaultTags())
	diags.Append(d...)
	return in
}

// planMembership plans global_datastore_id, global_role and global_regions.
func (r *StackResource) planMembership(plan *stackModel, state stackModel, create bool) {
	g := plan.Global
	member := g != nil && (g.Role.ValueString() == blueprint.RolePrimary || joining(*plan))
	if !member {
		plan.GlobalDatastoreID, plan.GlobalRole, plan.GlobalRegions = types.StringNull(), types.StringNull(), types.ListNull(types.StringType)
		return
	}
	plan.GlobalDatastoreID, plan.GlobalRole, plan.GlobalRegions = state.GlobalDatastoreID, state.GlobalRole, state.GlobalRegions
	promoting := g.Promote.ValueBool() && (create || state.Global == nil || !state.Global.Promote.ValueBool())
	if create || state.GlobalDatastoreID.IsNull() || promoting || state.Global == nil || !g.Join.Equal(state.Global.Join) {
		plan.GlobalDatastoreID, plan.GlobalRegions = types.StringUnknown(), types.ListUnknown(types.StringType)
		plan.GlobalRole = types.StringValue(blueprint.RoleSecondary)
		if g.Role.ValueString() == blueprint.RolePrimary || g.Promote.ValueBool() {
			plan.GlobalRole = types.StringValue(blueprint.RolePrimary)
		}
		if !g.Join.IsUnknown() && g.Join.ValueString() != "" {
			plan.GlobalDatastoreID = g.Join
		}
	}
}

// checkGlobalDestroy fails the plan of destroying a primary that still has secondaries. The
// membership is asked of AWS (one describe, only for a member): a destroy may run without
// refresh (-refresh=false), and secondaries come and go from other configurations.
func (r *StackResource) checkGlobalDestroy(ctx context.Context, state stackModel, diags *diag.Diagnostics) {
	rd := reader{in: blueprint.Input{Unknown: map[blueprint.Attr]bool{}}}
	rd.global(state)
	g := rd.in.Global
	if g.DatastoreID == "" {
		return
	}
	if r.clients != nil {
		if datastoreID, role, found, err := r.clients.GlobalMembership(ctx, state.Name.ValueString()); err == nil && found {
			g.CurrentRole, g.Regions = role, nil
			if datastoreID != "" { // still a member: only then is the datastore worth describing
				if live, ok, err := r.clients.ObserveGlobalDatastore(ctx, g.DatastoreID); err == nil && ok {
					g.Regions = live.Regions()
				}
			}
		}
	}
	if p := blueprint.GlobalDestroyProblem(g); p != nil {
		diags.AddError(fmt.Sprintf("elasticache_stack %q: %s", state.Name.ValueString(), p.Summary), p.Detail)
	}
}

// setObservedGlobal records the membership AWS reports; on import it also fills the global
// block from it, so a configuration that matches plans nothing.
func setObservedGlobal(m *stackModel, prior stackModel, o driver.Observed) {
	m.GlobalDatastoreID, m.GlobalRole, m.GlobalRegions = types.StringNull(), types.StringNull(), types.ListNull(types.StringType)
	if o.GlobalDatastoreID == "" {
		return
	}
	m.GlobalDatastoreID, m.GlobalRole, m.GlobalRegions = types.StringValue(o.GlobalDatastoreID), types.StringValue(o.GlobalRole), stringList(o.GlobalRegions)
	if prior.Global != nil {
		return
	}
	m.Global = &globalModel{Role: types.StringNull(), Join: types.StringNull(), Promote: types.BoolNull()}
	if o.GlobalRole == blueprint.RolePrimary {
		m.Global.Role = types.StringValue(blueprint.RolePrimary)
	} else {
		m.Global.Join = types.StringValue(o.GlobalDatastoreID)
	}
}

// createGlobal makes a new primary's datastore, or waits for a new secondary's datastore to
// take it in (and fails over to it when promote is set), recording the membership in state.
func (r *StackResource) createGlobal(ctx context.Context, in blueprint.Input, state *stackModel) error {
	g, c := in.Global, r.clients
	switch {
	case g.Role == blueprint.RolePrimary:
		id, err := c.CreateGlobalDatastore(ctx, in.Name, in.Name)
		state.GlobalDatastoreID = types.StringValue(id)
		return err
	case g.Joins():
		state.GlobalDatastoreID = types.StringValue(g.Join)
		if err := c.WaitGlobalDatastoreSettled(ctx, g.Join); err != nil {
			return err
		}
		if g.Promote {
			return c.FailoverGlobalDatastore(ctx, g.Join, in.Name)
		}
	}
	return nil
}

// leaveGlobal takes the stack's group out of its datastore before it is deleted: a secondary
// disassociates; a primary deletes the datastore, which AWS allows only when it holds the
// primary alone (the plan refuses the destroy otherwise). Only replication groups join one.
func (r *StackResource) leaveGlobal(ctx context.Context, shape blueprint.Shape, name string) error {
	if shape != blueprint.ShapeReplicationGroup {
		return nil
	}
	c := r.clients
	datastoreID, role, found, err := c.GlobalMembership(ctx, name)
	if err != nil || !found || datastoreID == "" {
		return err
	}
	if role == blueprint.RolePrimary {
		g, _, err := c.ObserveGlobalDatastore(ctx, datastoreID)
		if err != nil {
			return err
		}
		if len(g.Members) > 1 {
			return fmt.Errorf("replication group %s is the primary of global datastore %s, which still has members in %s: destroy those stacks first",
				name, datastoreID, strings.Join(g.Regions()[1:], ", "))
		}
		return c.DeleteGlobalDatastore(ctx, datastoreID)
	}
	return c.LeaveGlobalDatastore(ctx, datastoreID, name)
}

// ownedParameterGroup reports whether the stack owns the parameter group it runs: a secondary
// runs its datastore's, which AWS creates and removes.
func ownedParameterGroup(name string) bool {
	return name != "" && !strings.HasPrefix(name, awsops.GlobalParameterGroupPrefix)
}

// keepDatastoreParameterGroup: a secondary runs the parameter group AWS made for its datastore
// (global-datastore-<id>), known once it exists; it is never the stack's own.
func keepDatastoreParameterGroup(ctx context.Context, req resource.ModifyPlanRequest, plan *stackModel) {
	if !joining(*plan) {
		return
	}
	plan.ParameterGroupName = types.StringUnknown()
	if !req.State.Raw.IsNull() {
		var state stackModel
		if diags := req.State.Get(ctx, &state); !diags.HasError() && strings.HasPrefix(state.ParameterGroupName.ValueString(), awsops.GlobalParameterGroupPrefix) {
			plan.ParameterGroupName = state.ParameterGroupName
		}
	}
}
