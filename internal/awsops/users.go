package awsops

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/sync/errgroup"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

const (
	componentUser      = "user"
	componentUserGroup = "user group"
	statusActive       = "active"
)

// ObservedUser is what AWS says about one RBAC user. Passwords are never readable.
type ObservedUser struct {
	ID, Name, AccessString, Authentication, Status string
}

// ObservedUserGroup is the stack's user group and the users in it.
type ObservedUserGroup struct {
	ID, Status string
	UserIDs    []string
	Users      map[string]ObservedUser // by user ID; a user of UserIDs that is gone is absent
}

// UserCredentials are the write-only passwords of the users whose passwords an apply sets, by
// security.users key. They go to one AWS call each and are never stored or logged.
type UserCredentials map[string][]string

// ObserveUserGroup reads the group and each of its users (concurrently).
func (c *Clients) ObserveUserGroup(ctx context.Context, id string) (ObservedUserGroup, bool, error) {
	g, found, err := c.findUserGroup(ctx, id)
	if err != nil || !found {
		return ObservedUserGroup{}, false, err
	}
	o := ObservedUserGroup{ID: id, Status: aws.ToString(g.Status), UserIDs: g.UserIds, Users: map[string]ObservedUser{}}
	if aws.ToString(g.Status) == StatusDeleting {
		return o, false, nil
	}
	users := make([]ObservedUser, len(g.UserIds))
	exists := make([]bool, len(g.UserIds))
	eg, ectx := errgroup.WithContext(ctx)
	for i, uid := range g.UserIds {
		eg.Go(func() (err error) { users[i], exists[i], err = c.ObserveUser(ectx, uid); return err })
	}
	if err := eg.Wait(); err != nil {
		return o, true, err
	}
	for i, u := range users {
		if exists[i] {
			o.Users[u.ID] = u
		}
	}
	return o, true, nil
}

// ObserveUser reads one user; found is false when it does not exist (or is being deleted).
func (c *Clients) ObserveUser(ctx context.Context, id string) (ObservedUser, bool, error) {
	u, found, err := c.findUser(ctx, id)
	if err != nil || !found {
		return ObservedUser{}, false, err
	}
	o := ObservedUser{ID: aws.ToString(u.UserId), Name: aws.ToString(u.UserName), AccessString: aws.ToString(u.AccessString), Status: aws.ToString(u.Status)}
	if u.Authentication != nil {
		o.Authentication = string(u.Authentication.Type)
	}
	if o.Authentication == "no-password" {
		o.Authentication = blueprint.AuthenticationNoPassword // DescribeUsers says "no-password"; CreateUser takes "no-password-required"
	}
	return o, o.Status != StatusDeleting, nil
}

// SyncUsers makes the stack's users and user group what spec says: users created or changed
// first (a group takes only users that exist), then the group created or its members changed,
// then the users no longer wanted deleted. rotate names the keys whose passwords are sent.
func (c *Clients) SyncUsers(ctx context.Context, stackName string, spec blueprint.UserGroupSpec, creds UserCredentials, rotate map[string]bool) error {
	for _, u := range spec.Users {
		if err := c.ensureUser(ctx, stackName, spec.Engine, u, creds[u.Key], rotate[u.Key]); err != nil {
			return err
		}
	}
	group, found, err := c.ObserveUserGroup(ctx, spec.ID)
	if err != nil {
		return err
	}
	if !found {
		return c.createUserGroup(ctx, stackName, spec)
	}
	if err := c.WaitUserGroupActive(ctx, spec.ID); err != nil {
		return err
	}
	want := spec.UserIDs()
	var add, remove []string
	for _, id := range want {
		if !slices.Contains(group.UserIDs, id) {
			add = append(add, id)
		}
	}
	for _, id := range group.UserIDs {
		if !slices.Contains(want, id) {
			remove = append(remove, id)
		}
	}
	if len(add) > 0 || len(remove) > 0 {
		tflog.Info(ctx, "changing the members of the user group", map[string]any{"user_group_id": spec.ID, "add": add, "remove": remove})
		in := &elasticache.ModifyUserGroupInput{UserGroupId: aws.String(spec.ID), UserIdsToAdd: add, UserIdsToRemove: remove}
		if _, err := c.ElastiCache.ModifyUserGroup(ctx, in); err != nil {
			return wrap(componentUserGroup, "modify", spec.ID, err)
		}
		if err := c.WaitUserGroupActive(ctx, spec.ID); err != nil {
			return err
		}
	}
	for _, id := range remove {
		if err := c.deleteUser(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// ensureUser creates a user, or brings an existing one of this stack to the spec: its access
// string, and its passwords when rotate is set.
func (c *Clients) ensureUser(ctx context.Context, stackName, engine string, u blueprint.UserSpec, passwords []string, rotate bool) error {
	observed, found, err := c.ObserveUser(ctx, u.ID)
	if err != nil {
		return err
	}
	if !found {
		adopted, err := c.createUser(ctx, stackName, engine, u, passwords)
		if err != nil || !adopted {
			return err
		}
		// Left by an interrupted apply: bring it to the spec, passwords included.
		if observed, _, err = c.ObserveUser(ctx, u.ID); err != nil {
			return err
		}
		rotate = true
	}
	in := &elasticache.ModifyUserInput{UserId: aws.String(u.ID)}
	changed := false
	if observed.AccessString != u.AccessString {
		in.AccessString, changed = aws.String(u.AccessString), true
	}
	if rotate && u.Authentication == blueprint.AuthenticationPassword && len(passwords) > 0 {
		in.AuthenticationMode = &ectypes.AuthenticationMode{Type: ectypes.InputAuthenticationTypePassword, Passwords: passwords}
		changed = true
	}
	if !changed {
		return nil
	}
	tflog.Info(ctx, "modifying user", map[string]any{"user_id": u.ID, "access_string": in.AccessString != nil, "passwords": in.AuthenticationMode != nil})
	if _, err := c.ElastiCache.ModifyUser(ctx, in); err != nil {
		return wrap(componentUser, "modify", u.ID, err)
	}
	return c.waitUserActive(ctx, u.ID)
}

// createUser creates a user; adopted is true when this stack's user already existed (an
// interrupted apply), and a user of someone else's is refused.
func (c *Clients) createUser(ctx context.Context, stackName, engine string, u blueprint.UserSpec, passwords []string) (adopted bool, err error) {
	in := &elasticache.CreateUserInput{
		UserId: aws.String(u.ID), UserName: aws.String(u.Name), Engine: aws.String(engine),
		AccessString:       aws.String(u.AccessString),
		AuthenticationMode: &ectypes.AuthenticationMode{Type: ectypes.InputAuthenticationType(u.Authentication)},
		Tags:               elastiCacheTags(WithOwner(stackName, nil)),
	}
	if u.Authentication == blueprint.AuthenticationPassword {
		in.AuthenticationMode.Passwords = passwords
	}
	tflog.Info(ctx, "creating user", map[string]any{"user_id": u.ID, "user_name": u.Name, "authentication": u.Authentication})
	out, err := c.ElastiCache.CreateUser(ctx, in)
	var already *ectypes.UserAlreadyExistsFault
	if asType(err, &already) {
		return true, c.checkOwner(ctx, componentUser, c.arn("user", u.ID), stackName)
	}
	if err != nil {
		return false, wrap(componentUser, "create", u.ID, err)
	}
	return false, c.waitUserActive(ctx, aws.ToString(out.UserId))
}

// arn is the ARN of an ElastiCache resource of this account and region.
func (c *Clients) arn(resourceType, id string) string {
	partition := c.Partition
	if partition == "" {
		partition = "aws"
	}
	return "arn:" + partition + ":elasticache:" + c.Region + ":" + c.AccountID + ":" + resourceType + ":" + id
}

func (c *Clients) createUserGroup(ctx context.Context, stackName string, spec blueprint.UserGroupSpec) error {
	tflog.Info(ctx, "creating user group", map[string]any{"user_group_id": spec.ID, "users": spec.UserIDs()})
	_, err := c.ElastiCache.CreateUserGroup(ctx, &elasticache.CreateUserGroupInput{
		UserGroupId: aws.String(spec.ID), Engine: aws.String(spec.Engine), UserIds: spec.UserIDs(),
		Tags: elastiCacheTags(WithOwner(stackName, spec.Tags)),
	})
	if err != nil {
		return wrap(componentUserGroup, "create", spec.ID, err)
	}
	return c.WaitUserGroupActive(ctx, spec.ID)
}

// WaitUserGroupActive waits for the group to finish creating or modifying: AWS attaches and
// changes only an active group.
func (c *Clients) WaitUserGroupActive(ctx context.Context, id string) error {
	return waitStatus(ctx, componentUserGroup, id, statusActive, statusBy(c.findUserGroup, id, func(g ectypes.UserGroup) *string { return g.Status }))
}

func (c *Clients) findUserGroup(ctx context.Context, id string) (ectypes.UserGroup, bool, error) {
	out, err := c.ElastiCache.DescribeUserGroups(ctx, &elasticache.DescribeUserGroupsInput{UserGroupId: aws.String(id)})
	return firstListed(componentUserGroup, id, err, isA[*ectypes.UserGroupNotFoundFault], func() []ectypes.UserGroup { return out.UserGroups })
}

func (c *Clients) waitUserActive(ctx context.Context, id string) error {
	return waitStatus(ctx, componentUser, id, statusActive, statusBy(c.findUser, id, func(u ectypes.User) *string { return u.Status }))
}

func (c *Clients) findUser(ctx context.Context, id string) (ectypes.User, bool, error) {
	out, err := c.ElastiCache.DescribeUsers(ctx, &elasticache.DescribeUsersInput{UserId: aws.String(id)})
	return firstListed(componentUser, id, err, isA[*ectypes.UserNotFoundFault], func() []ectypes.User { return out.Users })
}

// deleteUser deletes a user the stack created, once no group holds it; a user that is gone
// is not an error.
func (c *Clients) deleteUser(ctx context.Context, id string) error {
	return deleteRetrying(ctx, componentUser, id, call(c.ElastiCache.DeleteUser, &elasticache.DeleteUserInput{UserId: aws.String(id)}),
		isA[*ectypes.UserNotFoundFault], isA[*ectypes.InvalidUserStateFault])
}

// DeleteUsers removes the stack's user group and then its users (the group first: AWS deletes
// only users no group holds). Components that do not exist are skipped.
func (c *Clients) DeleteUsers(ctx context.Context, stackName string, userIDs []string) error {
	id := blueprint.UserGroupID(stackName)
	group, found, err := c.ObserveUserGroup(ctx, id)
	if err != nil {
		return err
	}
	if found {
		// A group of the same name that this stack did not create (no owner tag) is left alone.
		if owned := c.checkOwner(ctx, componentUserGroup, c.arn("usergroup", id), stackName) == nil; !owned {
			tflog.Info(ctx, "user group of the stack's name belongs to someone else; not deleted", map[string]any{"user_group_id": id})
			return nil
		}
		err := deleteRetrying(ctx, componentUserGroup, id, call(c.ElastiCache.DeleteUserGroup, &elasticache.DeleteUserGroupInput{UserGroupId: aws.String(id)}),
			isA[*ectypes.UserGroupNotFoundFault], isA[*ectypes.InvalidUserGroupStateFault])
		if err != nil {
			return err
		}
		for _, uid := range group.UserIDs {
			// Only the stack's own users: a group may hold the account's "default" user.
			if strings.HasPrefix(uid, blueprint.UserID(stackName, "")) && !slices.Contains(userIDs, uid) {
				userIDs = append(userIDs, uid)
			}
		}
	}
	for _, uid := range userIDs {
		if err := c.deleteUser(ctx, uid); err != nil {
			return err
		}
	}
	return nil
}
