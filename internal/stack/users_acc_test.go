package stack_test

import (
	"fmt"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// Passwords of the users tests: literal in the configuration (write-only attributes never
// store them); the secrets test uses ephemeral variables instead.
const (
	appPassword1 = "app-password-0001-abcdef"
	appPassword2 = "app-password-0002-ghijkl"
)

// usersBlock renders security.users entries: key -> HCL body.
func usersBlock(users map[string]string) string {
	keys := make([]string, 0, len(users))
	for k := range users {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := "users = {\n"
	for _, k := range keys {
		out += fmt.Sprintf("      %s = {\n        %s\n      }\n", k, users[k])
	}
	return out + "    }"
}

func appUser(access string, version int, passwords ...string) string {
	quoted := make([]string, len(passwords))
	for i, p := range passwords {
		quoted[i] = fmt.Sprintf("%q", p)
	}
	return fmt.Sprintf("access_string = %q\n        passwords_wo = [%s]\n        passwords_wo_version = %d", access, joinComma(quoted), version)
}

func iamUser(access string) string {
	return fmt.Sprintf("access_string = %q\n        authentication = \"iam\"", access)
}

func joinComma(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ", "
		}
		out += v
	}
	return out
}

// TestAccStack_users: a provisioned stack with a password user and an IAM user in a group of
// its own (with the disabled default user), then a rotation, an access change, a user removed,
// an access string changed outside Terraform repaired, and import without passwords.
func TestAccStack_users(t *testing.T) {
	name := acctest.RandomName("acc-users")
	cfg := func(users map[string]string) string {
		c := stackConfig{Name: name, Replicas: 1, Security: usersBlock(users)}
		return c.HCL(t)
	}
	two := map[string]string{
		"app": appUser("on ~sess:* +@read +@write", 1, appPassword1),
		"ops": iamUser("on ~* +@all"),
	}
	rotated := map[string]string{
		"app": appUser("on ~sess:* +@read +@write +@scripting", 2, appPassword1, appPassword2),
		"ops": iamUser("on ~* +@all"),
	}
	one := map[string]string{"app": rotated["app"]}
	rg := replicationGroupUserGroups(t, name)
	resource.ParallelTest(t, stackCase(t, resource.ComposeTestCheckFunc(checkDestroyed(t, name), checkUsersGone(t, name, name+"-app", name+"-ops", name+"-default")), []resource.TestStep{
		{
			Config: cfg(two),
			Check: resource.ComposeTestCheckFunc(
				checkUsers(t, name, rg, map[string]string{name + "-app": "on ~sess:* +@read +@write", name + "-ops": "on ~* +@all", name + "-default": "off -@all"}),
				checkUserNames(t, map[string]string{name + "-app": "app", name + "-ops": name + "-ops", name + "-default": "default"}),
			),
			ConfigStateChecks: stateChecks{
				inState("security.user_group_id", null),
				inState("security.users.app.passwords_wo", null),
			},
		},
		{
			Config:           cfg(rotated),
			ConfigPlanChecks: expectUpdate(),
			Check:            checkUsers(t, name, rg, map[string]string{name + "-app": "on ~sess:* +@read +@write +@scripting", name + "-ops": "on ~* +@all", name + "-default": "off -@all"}),
		},
		{
			Config: cfg(one),
			Check:  resource.ComposeTestCheckFunc(checkUsers(t, name, rg, map[string]string{name + "-app": "on ~sess:* +@read +@write +@scripting", name + "-default": "off -@all"}), checkUsersGone(t, "no-such-group", name+"-ops")),
		},
		settled(cfg(one)),
		{
			// Someone widens the app user's access outside Terraform: the plan shows it and apply repairs it.
			PreConfig:        func() { setAccessOutOfBand(t, name+"-app", "on ~* +@all") },
			Config:           cfg(one),
			ConfigPlanChecks: expectUpdate(),
			Check:            checkUsers(t, name, rg, map[string]string{name + "-app": "on ~sess:* +@read +@write +@scripting", name + "-default": "off -@all"}),
		},
		// Passwords are never readable: their version is what the next apply sets.
		importVerify(name, "security.users.app.passwords_wo_version"),
	}))
}

// TestAccStack_serverlessUsers: a serverless Valkey stack stands alone with users of its own.
func TestAccStack_serverlessUsers(t *testing.T) {
	name := acctest.RandomName("acc-usr-sls")
	c := stackConfig{Name: name, Mode: "serverless", Provisioned: "-", Security: usersBlock(map[string]string{"app": appUser("on ~* +@all", 1, appPassword1)})}
	resource.ParallelTest(t, stackCase(t, checkUsersGone(t, name, name+"-app", name+"-default"), []resource.TestStep{
		{
			Config: c.HCL(t),
			Check:  checkUsers(t, name, serverlessUserGroups(t, name), map[string]string{name + "-app": "on ~* +@all", name + "-default": "off -@all"}),
		},
		settled(c.HCL(t)),
	}))
}

// TestAccStack_authTokenToUsers moves a stack from an AUTH token to users in one apply.
func TestAccStack_authTokenToUsers(t *testing.T) {
	name := acctest.RandomName("acc-usr-auth")
	token := stackConfig{Name: name, Replicas: 1, Security: "auth_token_wo = \"Str0ngTokenValue-1234\"\n    auth_token_wo_version = 1"}
	users := stackConfig{Name: name, Replicas: 1, Security: usersBlock(map[string]string{"app": appUser("on ~* +@all", 1, appPassword1)})}
	rg := replicationGroupUserGroups(t, name)
	resource.ParallelTest(t, stackCase(t, resource.ComposeTestCheckFunc(checkDestroyed(t, name), checkUsersGone(t, name, name+"-app", name+"-default")), []resource.TestStep{
		{Config: token.HCL(t)},
		{
			Config:           users.HCL(t),
			ConfigPlanChecks: expectUpdate(),
			Check: resource.ComposeTestCheckFunc(
				checkUsers(t, name, rg, map[string]string{name + "-app": "on ~* +@all", name + "-default": "off -@all"}),
				checkAll(func() error {
					if aws.ToBool(describeRG(t, name).AuthTokenEnabled) {
						return fmt.Errorf("the AUTH token is still enabled")
					}
					return nil
				}),
			),
		},
		settled(users.HCL(t)),
	}))
}

// TestAccStack_usersInvalidCreateNothing: every refused combination fails at plan, naming the
// attribute, with no mutating call.
func TestAccStack_usersInvalidCreateNothing(t *testing.T) {
	n := "acc-users-invalid"
	users := func(body string) string { return usersBlock(map[string]string{"app": body}) }
	refusalCases := []refusal{
		// memcached
		{stackConfig{Name: n, Engine: "memcached", Provisioned: "node_type = \"cache.r7g.large\"", Security: users(appUser("on ~* +@all", 1, appPassword1))}, `Memcached has no RBAC users`},
		// with user group
		{stackConfig{Name: n, Replicas: 1, Security: users(appUser("on ~* +@all", 1, appPassword1)) + "\n    user_group_id = \"ug-1\""}, `set either users`},
		// with AUTH token
		{stackConfig{Name: n, Replicas: 1, Security: users(appUser("on ~* +@all", 1, appPassword1)) + "\n    auth_token_wo = \"Str0ngTokenValue-1234\"\n    auth_token_wo_version = 1"}, `AWS refuses an AUTH token beside RBAC users`},
		// password in access string
		{stackConfig{Name: n, Replicas: 1, Security: users(appUser("on >secret-password ~* +@all", 1, appPassword1))}, `passwords go in passwords_wo`},
		// bad rule
		{stackConfig{Name: n, Replicas: 1, Security: users(appUser("on ~* +@all whatever", 1, appPassword1))}, `"whatever" is not an ACL rule`},
		// short password
		{stackConfig{Name: n, Replicas: 1, Security: users(appUser("on ~* +@all", 1, "short"))}, `password 1 has 5 characters; AWS requires 16 to 128`},
		// three passwords
		{stackConfig{Name: n, Replicas: 1, Security: users(appUser("on ~* +@all", 1, appPassword1, appPassword2, appPassword1+"x"))}, `at most two passwords`},
		// no password
		{stackConfig{Name: n, Replicas: 1, Security: users(`access_string = "on ~* +@all"`)}, `a password user needs passwords_wo`},
		// IAM with password
		{stackConfig{Name: n, Replicas: 1, Security: users(iamUser("on ~* +@all") + "\n        passwords_wo = [\"" + appPassword1 + "\"]")}, `never a password`},
		// IAM default
		{stackConfig{Name: n, Replicas: 1, Security: usersBlock(map[string]string{"default": iamUser("on ~* +@all")})}, `no IAM user can be named default`},
		// IAM on redis 6.2
		{stackConfig{Name: n, Replicas: 1, Engine: "redis", ExtraTop: "  engine_version = \"6.2\"\n", Security: users(iamUser("on ~* +@all"))}, `IAM authentication needs Valkey 7.2 or Redis OSS 7.0`},
		// bad user name
		{stackConfig{Name: n, Replicas: 1, Security: usersBlock(map[string]string{"app_user": appUser("on ~* +@all", 1, appPassword1)})}, `a user name must start with a letter`},
	}
	refusedAtPlan(t, refusals(t, refusalCases))
}
