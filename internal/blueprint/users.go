package blueprint

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// User is one RBAC user of security.users. The map key is the user name clients send (for a
// password user); passwords never reach planning, only their version.
type User struct {
	AccessString     string
	Authentication   string
	PasswordsVersion int64
}

// How a user authenticates (AuthenticationMode.Type of CreateUser). The stack's own disabled
// default user needs no password; users of security.users choose password or iam.
const (
	AuthenticationPassword   = "password"
	AuthenticationIAM        = "iam"
	AuthenticationNoPassword = "no-password-required"
)

// Authentications are the choices security.users[*].authentication accepts.
var Authentications = []string{AuthenticationPassword, AuthenticationIAM}

// DefaultUserName is the user name AWS requires in every user group ("User group needs to
// contain a user with the user name default", DefaultUserRequired; hashicorp/aws #25593, #34784).
// The account's own "default" user allows every command without a password, so the stack puts
// its own disabled one in the group instead, unless the configuration names a default user.
const DefaultUserName = "default"

// DisabledAccessString switches a user off and grants nothing: the stack's default user.
const DisabledAccessString = "off -@all"

// UserSpec is one user as the stack creates it.
type UserSpec struct {
	ID, Name, AccessString, Authentication string
	// PasswordsVersion is the configured passwords_wo_version (0 for users without passwords).
	PasswordsVersion int64
	// Key is the security.users key ("" for the stack's own default user).
	Key string
}

// UserGroupSpec is the stack's own user group with its users, the default user included.
type UserGroupSpec struct {
	ID, Engine string
	Users      []UserSpec // sorted by ID
	Tags       map[string]string
}

// UserIDs lists the group's user IDs in order.
func (g UserGroupSpec) UserIDs() []string {
	out := make([]string, 0, len(g.Users))
	for _, u := range g.Users {
		out = append(out, u.ID)
	}
	return out
}

// UserGroupID names the stack's own user group: the stack name (user group IDs are
// account-wide, as stack names are).
func UserGroupID(stackName string) string { return stackName }

// UserID names the user of key in a stack: user IDs are account-wide, so the stack name
// prefixes them; AWS stores them in lowercase.
func UserID(stackName, key string) string { return strings.ToLower(stackName + "-" + key) }

// UserName is the name clients send for the user of key: the key itself, except for an IAM
// user, whose name AWS requires to be its user ID (ElastiCache "Authenticating with IAM",
// Limitations).
func UserName(stackName, key, authentication string) string {
	if authentication == AuthenticationIAM {
		return UserID(stackName, key)
	}
	return key
}

// ManagesUsers reports whether the stack creates its own users and user group.
func (s Security) ManagesUsers() bool { return len(s.Users) > 0 }

// EffectiveUserGroupID is the user group the cache uses: the stack's own one when it manages
// users, else the one configured (or none).
func (in Input) EffectiveUserGroupID() string {
	if in.Security.ManagesUsers() {
		return UserGroupID(in.Name)
	}
	return in.Security.UserGroupID
}

// UserGroup is where the stack's users are decided: one user per security.users entry and a
// disabled default user unless the configuration names "default". Nil when the stack manages
// no users.
func UserGroup(in Input) *UserGroupSpec {
	if !in.Security.ManagesUsers() {
		return nil
	}
	g := &UserGroupSpec{ID: UserGroupID(in.Name), Engine: in.Engine, Tags: in.Tags}
	for key, u := range in.Security.Users {
		auth := u.Authentication
		if auth == "" {
			auth = AuthenticationPassword
		}
		g.Users = append(g.Users, UserSpec{ID: UserID(in.Name, key), Name: UserName(in.Name, key, auth),
			AccessString: u.AccessString, Authentication: auth, PasswordsVersion: u.PasswordsVersion, Key: key})
	}
	if _, own := in.Security.Users[DefaultUserName]; !own {
		g.Users = append(g.Users, UserSpec{ID: UserID(in.Name, DefaultUserName), Name: DefaultUserName,
			AccessString: DisabledAccessString, Authentication: AuthenticationNoPassword})
	}
	sort.Slice(g.Users, func(i, j int) bool { return g.Users[i].ID < g.Users[j].ID })
	return g
}

var userKeyPattern = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]*$`)

// validateUsers checks security.users against what AWS accepts: keys that make valid user IDs,
// access strings of the syntax ElastiCache takes, IAM only where AWS offers it, and no other
// authentication beside the users.
func validateUsers(in Input) []Problem {
	s := in.Security
	if !s.ManagesUsers() || in.Unknown[AttrSecurityUsers] {
		return nil
	}
	const attr = AttrSecurityUsers
	var ps []Problem
	if s.UserGroupID != "" {
		ps = append(ps, Problem{attr, "Users and a user group together",
			"set either users (the stack creates the users and a user group of its own) or user_group_id (a user group created elsewhere), not both."})
	}
	if s.AuthTokenConfigured {
		ps = append(ps, Problem{attr, "Users and an AUTH token together",
			"AWS refuses an AUTH token beside RBAC users. Remove auth_token_wo and auth_token_wo_version: the stack deletes the token in the same call that attaches the users."})
	}
	if in.Known(AttrEngine) && in.Engine == EngineMemcached {
		return append(ps, Problem{attr, "Memcached has no users", "Memcached has no RBAC users. Use engine = \"valkey\" for a cache that needs them."})
	}
	if in.Known(AttrEngine) && in.Known(AttrEngineVersion) && in.Engine == EngineRedis && CompareVersions(in.EngineVersion, "6.0") < 0 {
		ps = append(ps, Problem{attr, "Engine too old for users", fmt.Sprintf("RBAC users need Redis OSS 6.0 or later (or Valkey); this stack runs redis %s.", in.EngineVersion)})
	}
	keys := make([]string, 0, len(s.Users))
	for k := range s.Users {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	seen := map[string]string{}
	for _, key := range keys {
		ps = append(ps, validateUser(in, key, s.Users[key], seen)...)
	}
	return ps
}

func validateUser(in Input, key string, u User, seen map[string]string) []Problem {
	attr := AttrSecurityUsers.Key(key)
	var ps []Problem
	if !userKeyPattern.MatchString(key) {
		ps = append(ps, Problem{AttrSecurityUsers, "Invalid user name",
			fmt.Sprintf("%q: a user name must start with a letter and contain only letters, digits and hyphens (it becomes part of the AWS user ID).", key)})
	}
	if other, dup := seen[strings.ToLower(key)]; dup {
		ps = append(ps, Problem{AttrSecurityUsers, "User names differ only in case",
			fmt.Sprintf("%q and %q give the same AWS user ID (AWS stores IDs in lowercase); rename one.", other, key)})
	}
	seen[strings.ToLower(key)] = key
	if u.Authentication != "" && !slices.Contains(Authentications, u.Authentication) {
		ps = append(ps, Problem{attr.Dot("authentication"), "Invalid authentication", fmt.Sprintf("%q is not one of: %s.", u.Authentication, strings.Join(Authentications, ", "))})
	}
	if u.Authentication == AuthenticationIAM {
		if key == DefaultUserName {
			ps = append(ps, Problem{attr.Dot("authentication"), "The default user cannot use IAM",
				"AWS requires an IAM user's name to equal its user ID, so no IAM user can be named default. Use a password for default, or leave it out (the stack adds a disabled default user)."})
		}
		if in.Known(AttrEngine) && in.Known(AttrEngineVersion) && in.Engine == EngineRedis && CompareVersions(in.EngineVersion, "7.0") < 0 {
			ps = append(ps, Problem{attr.Dot("authentication"), "Engine too old for IAM authentication",
				fmt.Sprintf("IAM authentication needs Valkey 7.2 or Redis OSS 7.0 or later; this stack runs redis %s.", in.EngineVersion)})
		}
	}
	if msg := CheckAccessString(u.AccessString); msg != "" {
		ps = append(ps, Problem{attr.Dot("access_string"), "Invalid access string", msg})
	}
	return ps
}

// accessRulePattern matches one rule of an ACL access string as ElastiCache takes it: on/off,
// key patterns (~, %R~, %W~, %RW~, allkeys, resetkeys), channel patterns (&, allchannels,
// resetchannels), commands and categories (+cmd, -cmd, +cmd|sub, +@cat, -@cat, allcommands,
// nocommands). Password rules (nopass, >pw, <pw, #hash, !hash, resetpass) are not accepted:
// AWS sets passwords through the API (ElastiCache RBAC docs, "Specifying Permissions Using an
// Access String").
var accessRulePattern = regexp.MustCompile(`^(on|off|allkeys|resetkeys|allchannels|resetchannels|allcommands|nocommands|(~|%R~|%W~|%RW~)\S+|&\S+|[+-]@?[a-zA-Z0-9_|\-]+)$`)

// CheckAccessString returns why an access string is refused, or "" when it is valid.
func CheckAccessString(s string) string {
	rules := strings.Fields(s)
	if len(rules) == 0 {
		return "the access string is empty; give at least \"on\" or \"off\" and the keys and commands allowed, for example \"on ~app:* +@read +@write\"."
	}
	for _, r := range rules {
		if strings.HasPrefix(r, ">") || strings.HasPrefix(r, "<") || strings.HasPrefix(r, "#") || strings.HasPrefix(r, "!") || r == "nopass" || r == "resetpass" || r == "reset" {
			return fmt.Sprintf("%q sets a password inside the access string; AWS refuses that: passwords go in passwords_wo.", truncateRule(r))
		}
		if !accessRulePattern.MatchString(r) {
			return fmt.Sprintf("%q is not an ACL rule ElastiCache accepts (on, off, ~pattern, %%R~/%%W~/%%RW~pattern, allkeys, &channel, allchannels, +command, -command, +@category, -@category, allcommands, nocommands).", truncateRule(r))
		}
	}
	return ""
}

// truncateRule keeps a refused rule short in a message (and never echoes a long secret).
func truncateRule(r string) string {
	if len(r) > 1 && (r[0] == '>' || r[0] == '<' || r[0] == '#' || r[0] == '!') {
		return r[:1] + "..."
	}
	if len(r) > 40 {
		return r[:40] + "..."
	}
	return r
}

// AccessOn reports whether an access string leaves the user switched on (the last of on/off
// wins, and a user is off unless switched on).
func AccessOn(s string) bool {
	on := false
	for _, r := range strings.Fields(s) {
		switch r {
		case "on":
			on = true
		case "off":
			on = false
		}
	}
	return on
}

// ValidateUserPasswords checks the write-only passwords of one user against AWS's rules
// (CreateUser: up to two passwords, 16 to 128 characters). Messages never contain a password.
func ValidateUserPasswords(key, authentication string, count int, lengths []int, versionSet bool) []Problem {
	attr := AttrSecurityUsers.Key(key).Dot("passwords_wo")
	if authentication == AuthenticationIAM {
		if count > 0 {
			return []Problem{{attr, "Passwords for an IAM user", "an IAM user authenticates with an IAM token, never a password: remove passwords_wo."}}
		}
		return nil
	}
	var ps []Problem
	switch {
	case count == 0:
		ps = append(ps, Problem{attr, "Missing passwords", "a password user needs passwords_wo (one or two passwords), or authentication = \"iam\"."})
	case count > 2:
		ps = append(ps, Problem{attr, "Too many passwords", fmt.Sprintf("AWS allows at most two passwords per user (for rotation); got %d.", count)})
	}
	for i, n := range lengths {
		if n < 16 || n > 128 {
			ps = append(ps, Problem{attr, "Invalid password", fmt.Sprintf("password %d has %d characters; AWS requires 16 to 128.", i+1, n)})
		}
	}
	if count > 0 && !versionSet {
		ps = append(ps, Problem{AttrSecurityUsers.Key(key).Dot("passwords_wo_version"), "Missing passwords version",
			"passwords_wo is write-only, so Terraform cannot see when it changes: set passwords_wo_version (for example 1) with it, and increase it to rotate."})
	}
	return ps
}

// userWarnings tells the reviewer which user changes cut off access.
func userWarnings(prior, planned Input) []Warning {
	var ws []Warning
	had, want := prior.Security, planned.Security
	if !planned.Known(AttrSecurityUsers) {
		return nil
	}
	if prior.Security.AuthTokenConfigured && want.ManagesUsers() && !had.ManagesUsers() {
		ws = append(ws, Warning{AttrSecurityUsers, "AUTH token is replaced by users",
			"the token is deleted in the same call that attaches the stack's user group: clients must log in as one of the users from this apply on (AUTH <user> <password>)."})
	}
	for _, key := range slices.Sorted(maps.Keys(had.Users)) {
		old := had.Users[key]
		u, kept := want.Users[key]
		switch {
		case !kept:
			ws = append(ws, Warning{AttrSecurityUsers, fmt.Sprintf("User %s is removed", key), "clients logging in as " + key + " are refused, and their open connections closed, from this apply on."})
		case AccessOn(old.AccessString) && !AccessOn(u.AccessString):
			ws = append(ws, Warning{AttrSecurityUsers, fmt.Sprintf("User %s is switched off", key), "its access string no longer has \"on\": clients logging in as " + key + " are refused from this apply on."})
		case old.AccessString != u.AccessString:
			ws = append(ws, Warning{AttrSecurityUsers, fmt.Sprintf("Access of user %s changes", key), fmt.Sprintf("access string %q becomes %q: commands and keys it no longer grants are refused from this apply on.", old.AccessString, u.AccessString)})
		}
		if kept && u.PasswordsVersion != old.PasswordsVersion && old.PasswordsVersion != 0 {
			ws = append(ws, Warning{AttrSecurityUsers, fmt.Sprintf("Passwords of user %s are replaced", key),
				"the configured passwords become the only valid ones: clients still using a password not in passwords_wo are refused. To rotate without downtime, list the old and the new password, then drop the old one."})
		}
	}
	return ws
}

// userRefusals are user changes AWS cannot make in place.
func userRefusals(prior, planned Input) []Problem {
	if !planned.Known(AttrSecurityUsers) {
		return nil
	}
	var ps []Problem
	for _, key := range slices.Sorted(maps.Keys(prior.Security.Users)) {
		u, kept := planned.Security.Users[key]
		if kept && authOf(u) != authOf(prior.Security.Users[key]) {
			ps = append(ps, Problem{AttrSecurityUsers.Key(key).Dot("authentication"), "Authentication of a user cannot change in place",
				"an IAM user's name must equal its user ID, so switching between password and iam changes the name clients send. Add the user under a new name instead, move the clients, then remove the old one."})
		}
	}
	return ps
}

func authOf(u User) string {
	if u.Authentication == "" {
		return AuthenticationPassword
	}
	return u.Authentication
}

// UserChanges is where a plan's user changes are judged: the warnings for changes that cut off
// access, and the changes AWS cannot make in place.
func UserChanges(prior, planned Input) ([]Warning, []Problem) {
	return userWarnings(prior, planned), userRefusals(prior, planned)
}
