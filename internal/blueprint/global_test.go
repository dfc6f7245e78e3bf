package blueprint

import (
	"strings"
	"testing"
)

func TestValidateGlobal(t *testing.T) {
	base := func(g Global) Input {
		return Input{Name: "s", Mode: ModeProvisioned, Engine: EngineValkey, Provisioned: Provisioned{NodeType: "cache.r7g.large"}, Global: g, Unknown: map[Attr]bool{}}
	}
	cases := []struct {
		name string
		in   Input
		set  map[Attr]bool
		want []Attr
	}{
		{"primary on a supported node", base(Global{Role: RolePrimary}), nil, nil},
		{"primary on a t-family node", func() Input {
			in := base(Global{Role: RolePrimary})
			in.Provisioned.NodeType = "cache.t4g.medium"
			return in
		}(), nil, []Attr{AttrProvisionedNodeType}},
		{"primary on a medium node", func() Input {
			in := base(Global{Role: RolePrimary})
			in.Provisioned.NodeType = "cache.m7g.medium"
			return in
		}(), nil, []Attr{AttrProvisionedNodeType}},
		{"secondary setting what it inherits", base(Global{Join: "ldgnf-x"}), map[Attr]bool{AttrProvisionedNodeType: true, AttrEngineVersion: true}, []Attr{AttrGlobalJoin}},
		{"secondary with an unknown join still refuses", func() Input { in := base(Global{}); in.Unknown[AttrGlobalJoin] = true; return in }(), map[Attr]bool{AttrProvisionedShards: true}, []Attr{AttrGlobalJoin}},
		{"secondary with its own replicas", base(Global{Join: "ldgnf-x"}), map[Attr]bool{AttrProvisionedReplicasPerShard: true}, nil},
		{"secondary restoring a snapshot", func() Input {
			in := base(Global{Join: "ldgnf-x"})
			in.RestoreFrom.SnapshotName = "snap"
			in.PreserveDataOnReplace = true
			return in
		}(), nil, []Attr{AttrRestoreFrom, AttrPreserveDataOnReplace}},
		{"both roles", base(Global{Role: RolePrimary, Join: "ldgnf-x"}), nil, []Attr{AttrGlobalJoin}},
		{"promote without join", base(Global{Role: RolePrimary, Promote: true}), nil, []Attr{AttrGlobalPromote}},
		{"serverless", func() Input { in := base(Global{Role: RolePrimary}); in.Mode = ModeServerless; return in }(), nil, []Attr{AttrGlobal}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []Attr
			for _, p := range ValidateGlobal(c.in, c.set) {
				got = append(got, p.Attribute)
			}
			if strings.Join(attrStrings(got), ",") != strings.Join(attrStrings(c.want), ",") {
				t.Fatalf("problems at %v, want %v", got, c.want)
			}
		})
	}
}

func attrStrings(as []Attr) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.String()
	}
	return out
}

func TestGlobalWarningsNameEveryRegion(t *testing.T) {
	prior := Input{EngineVersion: "8.0", Provisioned: Provisioned{NodeType: "cache.r7g.large", Shards: 1}, Unknown: map[Attr]bool{},
		Global: Global{Role: RolePrimary, DatastoreID: "ldgnf-s", CurrentRole: RolePrimary, Regions: []string{"us-east-1", "us-west-2"}}}
	planned := prior
	planned.EngineVersion = "8.1"
	ws := GlobalWarnings(prior, planned)
	if len(ws) != 1 || ws[0].Attribute != AttrEngineVersion || !strings.Contains(ws[0].Detail, "us-east-1, us-west-2") {
		t.Fatalf("warnings: %+v", ws)
	}
	secondary := prior
	secondary.Global.CurrentRole = RoleSecondary
	if ws := GlobalWarnings(secondary, planned); len(ws) != 0 {
		t.Fatalf("a secondary warns of a datastore change: %+v", ws)
	}
	promote := secondary
	promote.Global.Promote = true
	if ws := GlobalWarnings(secondary, promote); len(ws) != 1 || ws[0].Attribute != AttrGlobalPromote || !strings.Contains(ws[0].Detail, "writes") {
		t.Fatalf("promote warnings: %+v", ws)
	}
}

func TestGlobalDestroyProblem(t *testing.T) {
	g := Global{DatastoreID: "ldgnf-s", CurrentRole: RolePrimary, Regions: []string{"us-east-1", "us-west-2"}}
	if p := GlobalDestroyProblem(g); p == nil || !strings.Contains(p.Detail, "us-west-2") {
		t.Fatalf("primary with a secondary: %+v", p)
	}
	for _, ok := range []Global{{DatastoreID: "ldgnf-s", CurrentRole: RolePrimary, Regions: []string{"us-east-1"}}, {DatastoreID: "ldgnf-s", CurrentRole: RoleSecondary, Regions: g.Regions}} {
		if p := GlobalDestroyProblem(ok); p != nil {
			t.Fatalf("%+v refused: %v", ok, p)
		}
	}
}

func TestGlobalJoinChangeReplaces(t *testing.T) {
	prior := Input{Global: Global{Join: "ldgnf-a"}, Unknown: map[Attr]bool{}}
	planned := Input{Global: Global{Join: "ldgnf-b"}, Unknown: map[Attr]bool{}}
	if rs := GlobalReplacements(prior, planned); len(rs) != 1 || rs[0].Attribute != AttrGlobalJoin {
		t.Fatalf("join change: %+v", rs)
	}
	planned.Global.Join = "ldgnf-a"
	if rs := GlobalReplacements(prior, planned); len(rs) != 0 {
		t.Fatalf("same join replaced: %+v", rs)
	}
}

// A primary's major upgrade goes through its datastore, which takes changes only at once: the
// warning says so even with apply_immediately false, where a standalone group waits. So does a
// standalone group that becomes a primary in the same apply (its datastore is made first).
func TestGlobalPrimaryUpgradeIsImmediate(t *testing.T) {
	prior := Input{Name: "s", Mode: ModeProvisioned, Engine: EngineValkey, EngineVersion: "7.2", Unknown: map[Attr]bool{},
		Provisioned: Provisioned{NodeType: "cache.r7g.large", Shards: 1, ReplicasPerShard: 1, MaintenanceWindow: "sun:05:00-sun:06:00"},
		Global:      Global{Role: RolePrimary, DatastoreID: "ldgnf-s", CurrentRole: RolePrimary, Regions: []string{"us-east-1"}}}
	planned := prior
	planned.EngineVersion = "8.0"
	standalone, plannedStandalone := prior, planned
	standalone.Global, plannedStandalone.Global = Global{}, Global{}
	becomesPrimary := plannedStandalone
	becomesPrimary.Global = Global{Role: RolePrimary}
	for _, c := range []struct {
		prior, planned Input
		waits          bool
	}{{prior, planned, false}, {standalone, plannedStandalone, true}, {standalone, becomesPrimary, false}} {
		detail := ""
		for _, w := range Assess(c.prior, c.planned).Warnings {
			if w.Attribute == AttrEngineVersion && strings.HasPrefix(w.Summary, "Engine upgrade") {
				detail = w.Detail
			}
		}
		if detail == "" || strings.Contains(detail, "maintenance window") != c.waits || !strings.Contains(detail, "s-valkey8") {
			t.Errorf("global %q -> %q: upgrade warning %q", c.prior.Global.Role, c.planned.Global.Role, detail)
		}
	}
}
