// Package stack implements the elasticache_stack resource: schema, plan-time validation and
// warnings, and the create/read/update/delete orchestration of the stack's components. What the
// components should look like is decided in internal/blueprint; the AWS calls are in
// internal/awsops.
package stack

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

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
	clients, err := awsops.FromProviderData(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected provider data", err.Error())
	}
	r.clients = clients
}

// ImportState takes the stack name; Read then recovers every component from the replication
// group it names.
func (r *StackResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, attributePath(blueprint.AttrName), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}

// begin starts a CRUD method: it checks that the provider is configured and reads the model
// from the plan or the state. ok is false when either failed (diags says why).
func (r *StackResource) begin(ctx context.Context, from modelSource, diags *diag.Diagnostics) (stackModel, bool) {
	if !r.requireClients(diags) {
		return stackModel{}, false
	}
	return modelOf(ctx, from, diags)
}

// modelSource is the plan, the state or the configuration.
type modelSource interface {
	Get(ctx context.Context, target any) diag.Diagnostics
}

// modelOf reads the resource's model from the plan, the state or the configuration.
func modelOf(ctx context.Context, from modelSource, diags *diag.Diagnostics) (stackModel, bool) {
	var m stackModel
	diags.Append(from.Get(ctx, &m)...)
	return m, !diags.HasError()
}

// withTimeout bounds ctx by the operation's timeout: the timeouts block's value read through
// get, or def.
func withTimeout(ctx context.Context, get func(context.Context, time.Duration) (time.Duration, diag.Diagnostics), def time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	timeout, d := get(ctx, def)
	diags.Append(d...)
	return context.WithTimeout(ctx, timeout)
}

// secretsFrom reads the write-only secrets from the configuration, the only place they exist.
func secretsFrom(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) secrets {
	authToken, d := configuredAuthToken(ctx, config)
	diags.Append(d...)
	passwords, d := configuredUserPasswords(ctx, config)
	diags.Append(d...)
	return secrets{authToken, passwords}
}

// build is blueprint.Build with its error reported as the stack's; it builds nothing once
// diags holds an error (what an apply read before it failed).
func build(in blueprint.Input, diags *diag.Diagnostics) (blueprint.Stack, bool) {
	if diags.HasError() {
		return blueprint.Stack{}, false
	}
	desired, err := blueprint.Build(in)
	if err != nil {
		diags.AddError("Cannot plan elasticache_stack "+in.Name, err.Error())
		return desired, false
	}
	return desired, true
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
