package blueprint

import (
	"slices"
	"strings"
	"testing"
)

func usersInput(users map[string]User) Input {
	in := Input{Name: "shop", Mode: ModeProvisioned, Engine: EngineValkey, EngineVersion: "8.0", Unknown: map[Attr]bool{}}
	in.Security.Users = users
	return in
}

func TestUserGroupAddsDisabledDefault(t *testing.T) {
	g := UserGroup(usersInput(map[string]User{"app": {AccessString: "on ~* +@all", PasswordsVersion: 1}, "ops": {AccessString: "on ~* +@all", Authentication: AuthenticationIAM}}))
	if g.ID != "shop" || !slices.Equal(g.UserIDs(), []string{"shop-app", "shop-default", "shop-ops"}) {
		t.Fatalf("group %s with %v", g.ID, g.UserIDs())
	}
	byID := map[string]UserSpec{}
	for _, u := range g.Users {
		byID[u.ID] = u
	}
	if d := byID["shop-default"]; d.Name != "default" || d.AccessString != "off -@all" || d.Authentication != AuthenticationNoPassword {
		t.Errorf("default user %+v", d)
	}
	if byID["shop-app"].Name != "app" || byID["shop-ops"].Name != "shop-ops" {
		t.Errorf("user names: app=%q ops=%q (an IAM user's name is its ID)", byID["shop-app"].Name, byID["shop-ops"].Name)
	}
	own := UserGroup(usersInput(map[string]User{"default": {AccessString: "on ~* +get"}}))
	if len(own.Users) != 1 || own.Users[0].AccessString != "on ~* +get" {
		t.Errorf("a configured default user replaces the disabled one: %+v", own.Users)
	}
	if UserGroup(usersInput(nil)) != nil {
		t.Error("no users, no group")
	}
}

func TestCheckAccessString(t *testing.T) {
	for _, ok := range []string{"on ~sess:* +@read +@write +@scripting", "off -@all", "on %R~cache:* &events:* -flushall +client|setname allkeys allcommands"} {
		if msg := CheckAccessString(ok); msg != "" {
			t.Errorf("%q refused: %s", ok, msg)
		}
	}
	for bad, want := range map[string]string{"": "empty", "on >hunter2hunter2 ~*": "passwords go in passwords_wo", "on nopass ~*": "passwords_wo", "on ~* +@all bogus": `"bogus" is not an ACL rule`} {
		if msg := CheckAccessString(bad); !strings.Contains(msg, want) {
			t.Errorf("%q: %q, want %q", bad, msg, want)
		}
		if strings.Contains(CheckAccessString(bad), "hunter2") {
			t.Errorf("the message echoes a password")
		}
	}
}

func TestUserChangesWarnWhenAccessIsCutOff(t *testing.T) {
	had := usersInput(map[string]User{"app": {AccessString: "on ~* +@all", PasswordsVersion: 1}, "ops": {AccessString: "on ~* +@all", Authentication: AuthenticationIAM}, "ro": {AccessString: "on ~* +@read"}})
	want := usersInput(map[string]User{"app": {AccessString: "on ~* +@all", PasswordsVersion: 2}, "ro": {AccessString: "off ~* +@read"}})
	warnings, refusals := UserChanges(had, want)
	var summaries []string
	for _, w := range warnings {
		summaries = append(summaries, w.Summary)
	}
	wantSummaries := []string{"Passwords of user app are replaced", "User ops is removed", "User ro is switched off"}
	if !slices.Equal(summaries, wantSummaries) || len(refusals) != 0 {
		t.Fatalf("warnings %q, refusals %v; want %q", summaries, refusals, wantSummaries)
	}
	want.Security.Users["app"] = User{AccessString: "on ~* +@all", Authentication: AuthenticationIAM}
	if _, refusals := UserChanges(had, want); len(refusals) != 1 || refusals[0].Attribute != `security.users["app"].authentication` {
		t.Fatalf("switching authentication in place: %v", refusals)
	}
}

func TestValidateUsers(t *testing.T) {
	in := usersInput(map[string]User{"App": {AccessString: "on ~* +@all"}, "app": {AccessString: "on ~* +@all"}})
	in.Security.UserGroupID = "ug"
	var got []string
	for _, p := range Validate(in) {
		got = append(got, p.Summary)
	}
	for _, want := range []string{"Users and a user group together", "User names differ only in case"} {
		if !slices.Contains(got, want) {
			t.Errorf("missing %q in %q", want, got)
		}
	}
	mc := usersInput(map[string]User{"app": {AccessString: "on ~* +@all"}})
	mc.Engine, mc.EngineVersion = EngineMemcached, "1.6"
	if ps := validateUsers(mc); len(ps) != 1 || ps[0].Attribute != "security.users" {
		t.Errorf("memcached: %v", ps)
	}
}
