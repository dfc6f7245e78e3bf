package stack

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// userModel is one entry of security.users.
type userModel struct {
	AccessString       types.String `tfsdk:"access_string"`
	Authentication     types.String `tfsdk:"authentication"`
	PasswordsWO        types.List   `tfsdk:"passwords_wo"`
	PasswordsWOVersion types.Int64  `tfsdk:"passwords_wo_version"`
}

func userAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"access_string":        types.StringType,
		"authentication":       types.StringType,
		"passwords_wo":         types.ListType{ElemType: types.StringType},
		"passwords_wo_version": types.Int64Type,
	}
}

var userObjectType = types.ObjectType{AttrTypes: userAttrTypes()}

func usersSchema() schema.MapNestedAttribute {
	return schema.MapNestedAttribute{
		Optional: true,
		MarkdownDescription: "RBAC users the stack creates, keyed by the user name clients send (`AUTH <name> <password>`). " +
			"The stack puts them in a user group of its own (ID: the stack name; user IDs `<name>-<user>`) with a disabled `default` user " +
			"(`off -@all`, no password: AWS requires a user named `default` in every group) unless you name your own `default`, and attaches it to the cache. " +
			"Valkey and Redis OSS 6.0+ only; not with `user_group_id` or `auth_token_wo`. Users are added, removed and changed in place; the plan warns when a change cuts off access.",
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"access_string": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "ACL rules of the user, for example `on ~sess:* +@read +@write`. Checked at plan: `on`/`off`, key patterns (`~`, `%R~`, `%W~`, `%RW~`, `allkeys`), channels (`&`, `allchannels`), commands and categories (`+get`, `-@dangerous`). Passwords never go here.",
			},
			"authentication": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "`password` (the default) or `iam` (an IAM auth token instead of passwords; Valkey 7.2+ / Redis OSS 7.0+). AWS requires an IAM user's name to equal its user ID, so an IAM user logs in as `<stack name>-<user>`. Cannot change in place.",
				Validators:          []validator.String{stringvalidator.OneOf(blueprint.Authentications...)},
			},
			"passwords_wo": schema.ListAttribute{
				Optional: true, Sensitive: true, WriteOnly: true, ElementType: types.StringType,
				MarkdownDescription: "One or two passwords (16 to 128 characters; two let clients move from one to the other). Write-only: sent to AWS, never stored in state or plan. Requires Terraform 1.11 or later.",
			},
			"passwords_wo_version": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "Version of `passwords_wo`: Terraform cannot see write-only values, so increasing this number is what sends the configured passwords again (rotation).",
			},
		}},
	}
}

// usersFrom reads security.users into the blueprint's terms; passwords stay out.
func usersFrom(ctx context.Context, v types.Map, unknown map[blueprint.Attr]bool) (map[string]blueprint.User, diag.Diagnostics) {
	if v.IsNull() {
		return nil, nil
	}
	if v.IsUnknown() {
		unknown[blueprint.AttrSecurityUsers] = true
		return nil, nil
	}
	models := map[string]userModel{}
	diags := v.ElementsAs(ctx, &models, true)
	out := map[string]blueprint.User{}
	for key, u := range models {
		if u.AccessString.IsUnknown() || u.Authentication.IsUnknown() || u.PasswordsWOVersion.IsUnknown() {
			unknown[blueprint.AttrSecurityUsers] = true
		}
		out[key] = blueprint.User{AccessString: u.AccessString.ValueString(), Authentication: u.Authentication.ValueString(), PasswordsVersion: u.PasswordsWOVersion.ValueInt64()}
	}
	return out, diags
}

// configuredUserPasswords reads the write-only passwords from the configuration: the only
// place they exist. They are passed to one AWS call per user and never logged or stored.
func configuredUserPasswords(ctx context.Context, config tfsdk.Config) (awsops.UserCredentials, diag.Diagnostics) {
	var users types.Map
	diags := config.GetAttribute(ctx, attributePath(blueprint.AttrSecurityUsers), &users)
	if diags.HasError() || users.IsNull() || users.IsUnknown() {
		return nil, diags
	}
	models := map[string]userModel{}
	diags.Append(users.ElementsAs(ctx, &models, true)...)
	creds := awsops.UserCredentials{}
	for key, u := range models {
		var passwords []string
		if !u.PasswordsWO.IsNull() && !u.PasswordsWO.IsUnknown() {
			diags.Append(u.PasswordsWO.ElementsAs(ctx, &passwords, false)...)
		}
		creds[key] = passwords
	}
	return creds, diags
}

// validateUserPasswords checks each user's write-only passwords at plan time.
func validateUserPasswords(ctx context.Context, users types.Map) []blueprint.Problem {
	if users.IsNull() || users.IsUnknown() {
		return nil
	}
	models := map[string]userModel{}
	if users.ElementsAs(ctx, &models, true).HasError() {
		return nil
	}
	var ps []blueprint.Problem
	for key, u := range models {
		if u.PasswordsWO.IsUnknown() || u.Authentication.IsUnknown() {
			continue
		}
		var lengths []int
		for _, e := range u.PasswordsWO.Elements() {
			s, ok := e.(types.String)
			if !ok || s.IsUnknown() {
				lengths = nil
				break
			}
			lengths = append(lengths, len(s.ValueString()))
		}
		ps = append(ps, blueprint.ValidateUserPasswords(key, u.Authentication.ValueString(), len(u.PasswordsWO.Elements()), lengths, !u.PasswordsWOVersion.IsNull())...)
	}
	return ps
}

// rotatedUsers names the users whose passwords an update sends: new users and users whose
// passwords version changed.
func rotatedUsers(had, want blueprint.Input) map[string]bool {
	out := map[string]bool{}
	for key, u := range want.Security.Users {
		old, existed := had.Security.Users[key]
		if !existed || old.PasswordsVersion != u.PasswordsVersion {
			out[key] = true
		}
	}
	return out
}

// stackUserIDs are the user IDs a stack's state accounts for: one per security.users key and
// the stack's default user.
func stackUserIDs(name string, users map[string]blueprint.User) []string {
	ids := []string{blueprint.UserID(name, blueprint.DefaultUserName)}
	for key := range users {
		if id := blueprint.UserID(name, key); id != ids[0] {
			ids = append(ids, id)
		}
	}
	return ids
}

// observeUsers fills security.users from the stack's own user group when the cache uses it:
// an access string changed outside Terraform, or a user removed, shows as drift. Passwords are
// never readable; their versions come from prior.
func (r *StackResource) observeUsers(ctx context.Context, m *stackModel, prior stackModel, name string) error {
	if m.Security == nil || m.Security.UserGroupID.ValueString() != blueprint.UserGroupID(name) {
		if m.Security != nil {
			m.Security.Users = types.MapNull(userObjectType)
		}
		return nil
	}
	priorUsers := map[string]userModel{}
	if prior.Security != nil {
		if prior.Security.UserGroupID.ValueString() == blueprint.UserGroupID(name) {
			m.Security.Users = types.MapNull(userObjectType) // a group of the same name brought by the user
			return nil
		}
		if !prior.Security.Users.IsNull() && !prior.Security.Users.IsUnknown() {
			prior.Security.Users.ElementsAs(ctx, &priorUsers, true)
		}
	}
	m.Security.UserGroupID = types.StringNull()
	group, _, err := r.clients.ObserveUserGroup(ctx, blueprint.UserGroupID(name))
	if err != nil {
		return err
	}
	imported := prior.Security == nil || prior.Security.Users.IsNull()
	values := map[string]attr.Value{}
	for _, u := range group.Users {
		key, ok := userKey(name, u)
		_, configured := priorUsers[key]
		isOwnDefault := key == blueprint.DefaultUserName && u.AccessString == blueprint.DisabledAccessString && u.Authentication == blueprint.AuthenticationNoPassword
		if !ok || key == blueprint.DefaultUserName && !configured && (!imported || isOwnDefault) {
			continue
		}
		values[key] = observedUser(u, priorUsers[key])
	}
	m.Security.Users = types.MapValueMust(userObjectType, values)
	return nil
}

// userKey recovers the security.users key of one of the stack's users: the user name, or for
// an IAM user (whose name is its ID) the ID without the stack prefix.
func userKey(stackName string, u awsops.ObservedUser) (string, bool) {
	prefix := blueprint.UserID(stackName, "")
	if !strings.HasPrefix(u.ID, prefix) {
		return "", false
	}
	if u.Authentication == blueprint.AuthenticationIAM {
		return strings.TrimPrefix(u.ID, prefix), true
	}
	return u.Name, true
}

func observedUser(u awsops.ObservedUser, prior userModel) attr.Value {
	auth := prior.Authentication
	if u.Authentication == blueprint.AuthenticationIAM || !auth.IsNull() && auth.ValueString() != u.Authentication {
		auth = types.StringValue(u.Authentication)
	}
	if u.Authentication == blueprint.AuthenticationPassword && auth.IsNull() {
		auth = types.StringNull() // password is the default
	}
	version := prior.PasswordsWOVersion
	if version.IsUnknown() {
		version = types.Int64Null()
	}
	return types.ObjectValueMust(userAttrTypes(), map[string]attr.Value{
		"access_string":        types.StringValue(u.AccessString),
		"authentication":       auth,
		"passwords_wo":         types.ListNull(types.StringType),
		"passwords_wo_version": version,
	})
}

// userPlanDiagnostics adds the plan's user warnings and refuses what AWS cannot change in place.
func userPlanDiagnostics(diags *diag.Diagnostics, had, want blueprint.Input) {
	warnings, refusals := blueprint.UserChanges(had, want)
	for _, w := range warnings {
		diags.AddAttributeWarning(attributePath(blueprint.AttrSecurityUsers), fmt.Sprintf("elasticache_stack %q: %s", want.Name, w.Summary), w.Detail)
	}
	for _, p := range refusals {
		addProblem(diags, p)
	}
}

// keepPasswordVersions puts back the passwords versions of before a failed update: the
// passwords may not have been sent, so the next plan sends them again.
func keepPasswordVersions(ctx context.Context, observed, before types.Map) types.Map {
	if observed.IsNull() || observed.IsUnknown() || before.IsNull() || before.IsUnknown() {
		return observed
	}
	now, old := map[string]userModel{}, map[string]userModel{}
	if observed.ElementsAs(ctx, &now, true).HasError() || before.ElementsAs(ctx, &old, true).HasError() {
		return observed
	}
	values := map[string]attr.Value{}
	for key, u := range now {
		if o, ok := old[key]; ok {
			u.PasswordsWOVersion = o.PasswordsWOVersion
		}
		values[key] = types.ObjectValueMust(userAttrTypes(), map[string]attr.Value{
			"access_string": u.AccessString, "authentication": u.Authentication,
			"passwords_wo": types.ListNull(types.StringType), "passwords_wo_version": u.PasswordsWOVersion,
		})
	}
	return types.MapValueMust(userObjectType, values)
}
