// Package stack implements the elasticache_stack resource: schema, plan-time validation and
// warnings, and the create/read/update/delete orchestration of the stack's components. What the
// components should look like is decided in internal/blueprint; the AWS calls are in
// internal/awsops.
package stack

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

var (
	_ resource.Resource                   = (*StackResource)(nil)
	_ resource.ResourceWithConfigure      = (*StackResource)(nil)
	_ resource.ResourceWithImportState    = (*StackResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*StackResource)(nil)
	_ resource.ResourceWithValidateConfig = (*StackResource)(nil)
)

// StackResource is elasticache_stack.
type StackResource struct {
	clients *awsops.Clients
}

// NewResource is the constructor the provider registers.
func NewResource() resource.Resource { return &StackResource{} }

func (r *StackResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_stack"
}

func (r *StackResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	clients, ok := req.ProviderData.(*awsops.Clients)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data", fmt.Sprintf("expected *awsops.Clients, got %T; this is a bug in the provider", req.ProviderData))
		return
	}
	r.clients = clients
}

// ImportState takes the stack name; Read then recovers every component from the replication
// group it names.
func (r *StackResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, attributePath(blueprint.AttrName), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}

// requireClients reports a clear error when the provider could not be configured yet (its
// block depends on values known only after apply), instead of failing on a nil client.
func (r *StackResource) requireClients(diags *diag.Diagnostics) bool {
	if r.clients != nil {
		return true
	}
	diags.AddError("Provider not configured",
		"The elasticache provider block depends on values that are not known yet, so no AWS call can be made. "+
			"Apply what the provider block depends on first (terraform apply -target=...), then this stack.")
	return false
}
