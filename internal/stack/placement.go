package stack

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// checkPlacement judges, at plan, what only AWS's answer allows (issue 17 §4): the subnets'
// IP ranges against network.type, their zones against preferred_availability_zones, and the
// additional security groups' existence and VPC. It asks (one DescribeSubnets, one
// DescribeSecurityGroups, no mutating call) only when a stack is created or these change, so an
// unchanged plan costs no extra call.
func (r *StackResource) checkPlacement(ctx context.Context, req resource.ModifyPlanRequest, want blueprint.Input) diag.Diagnostics {
	var diags diag.Diagnostics
	if r.clients == nil || !want.Known(blueprint.AttrNetworkSubnetIDs) || len(want.Network.SubnetIDs) == 0 || !want.Known(blueprint.AttrMode) || !want.Known(blueprint.AttrEngine) {
		return diags
	}
	var had blueprint.Input
	if !req.State.Raw.IsNull() {
		var state stackModel
		if diags.Append(req.State.Get(ctx, &state)...); diags.HasError() {
			return diags
		}
		had, _ = inputFrom(ctx, state, nil)
	}
	subnetsChanged := req.State.Raw.IsNull() || !slices.Equal(had.Network.SubnetIDs, want.Network.SubnetIDs) ||
		had.Network.Type != want.Network.Type || !slices.Equal(had.Provisioned.PreferredAZs, want.Provisioned.PreferredAZs)
	needSubnets := want.Network.Type != blueprint.NetworkTypeIPv4 || len(want.Provisioned.PreferredAZs) > 0 || len(want.Network.AdditionalSecurityGroupIDs) > 0
	if !subnetsChanged && slices.Equal(had.Network.AdditionalSecurityGroupIDs, want.Network.AdditionalSecurityGroupIDs) || !needSubnets {
		return diags
	}
	subnets, vpc, err := r.clients.Subnets(ctx, want.Network.SubnetIDs)
	if err != nil {
		// Not being able to ask is no reason to block a plan; AWS judges at apply.
		tflog.Debug(ctx, "placement not checked", map[string]any{"error": err.Error()})
		return diags
	}
	problems := blueprint.CheckSubnets(want, subnets)
	if groups := want.Network.AdditionalSecurityGroupIDs; len(groups) > 0 && want.Known(blueprint.AttrNetworkAdditionalSecurityGroupIDs) {
		vpcOf, err := r.clients.SecurityGroupVPCs(ctx, groups)
		if err != nil {
			tflog.Debug(ctx, "additional security groups not checked", map[string]any{"error": fmt.Sprint(err)})
		} else {
			problems = append(problems, blueprint.CheckSecurityGroups(groups, vpcOf, vpc)...)
		}
	}
	for _, p := range problems {
		addProblem(&diags, p)
	}
	return diags
}
