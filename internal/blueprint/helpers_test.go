package blueprint

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// validInput is the baseline configuration every test starts from: it must produce no
// validation problems, and tests derive their cases from it by changing one thing.
func validInput() Input {
	return Input{
		Name:          "agent-sessions",
		Mode:          ModeProvisioned,
		Engine:        EngineValkey,
		EngineVersion: "8.0",
		Network: Network{
			SubnetIDs:               []string{"subnet-0c1d2e3f", "subnet-0a1b2c3d", "subnet-0b4e5f6a"},
			AllowedSecurityGroupIDs: []string{"sg-0123456789abcdef0"},
			Port:                    6379,
		},
		Provisioned: Provisioned{
			NodeType:              "cache.r7g.large",
			Shards:                1,
			ReplicasPerShard:      2,
			MultiAZ:               true,
			EvictionPolicy:        "volatile-lru",
			SnapshotRetentionDays: 1,
			SnapshotWindow:        "03:00-04:00",
			MaintenanceWindow:     "sun:05:00-sun:06:00",
		},
		Security: Security{TransitEncryptionMode: TransitRequired},
		Tags:     map[string]string{"team": "agents", "env": "prod"},
	}
}

// cloneInput deep-copies an Input so that a test case can mutate it without touching another.
func cloneInput(in Input) Input {
	out := in
	out.Network.SubnetIDs = slices.Clone(in.Network.SubnetIDs)
	out.Network.AllowedSecurityGroupIDs = slices.Clone(in.Network.AllowedSecurityGroupIDs)
	out.Network.AllowedCIDRBlocks = slices.Clone(in.Network.AllowedCIDRBlocks)
	out.Provisioned.Parameters = maps.Clone(in.Provisioned.Parameters)
	out.Tags = maps.Clone(in.Tags)
	out.Unknown = maps.Clone(in.Unknown)
	return out
}

// wantNote describes one expected problem or warning: its exact attribute path, a fragment of
// its summary, fragments its detail must contain and fragments it must not contain.
type wantNote struct {
	attr        Attr
	summary     string
	detail      []string
	notInDetail []string
}

func (w wantNote) matches(attr Attr, summary, detail string) bool {
	return attr == w.attr && strings.Contains(summary, w.summary) && containsAll(detail, w.detail) && !containsAny(detail, w.notInDetail)
}

// checkNotes asserts that got holds exactly the wanted notes (problems or warnings, a kind),
// in any order; fields reads a note's attribute, summary and detail.
func checkNotes[N any](t *testing.T, kind string, got []N, want []wantNote, fields func(N) (Attr, string, string)) {
	t.Helper()
	used := make([]bool, len(got))
	for _, w := range want {
		found := false
		for i, n := range got {
			if !used[i] && w.matches(fields(n)) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("missing %s %+v in %+v", kind, w, got)
		}
	}
	for i, n := range got {
		if !used[i] {
			t.Errorf("unexpected %s %+v", kind, n)
		}
	}
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestBaselineHelpers(t *testing.T) {
	a := validInput()
	b := cloneInput(a)
	b.Network.SubnetIDs[0] = "changed"
	b.Tags["team"] = "changed"
	if a.Network.SubnetIDs[0] == "changed" || a.Tags["team"] == "changed" {
		t.Fatal("cloneInput must deep-copy slices and maps")
	}
}
