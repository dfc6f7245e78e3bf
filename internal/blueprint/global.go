package blueprint

import (
	"fmt"
	"strings"
)

// Global is the stack's part in a Global Datastore (the global block): the primary that
// creates the datastore, or a secondary in another region that joins it.
type Global struct {
	// Role is RolePrimary when this stack creates the datastore from its replication group.
	Role string
	// Join is the id of the datastore this stack joins as a secondary.
	Join string
	// Promote asks for this secondary to become the datastore's primary (a failover).
	Promote bool

	// What AWS reports (state): the datastore, this stack's current role in it (a failover
	// changes it without a configuration change) and the regions of every member.
	DatastoreID string
	CurrentRole string
	Regions     []string
}

// Attrs gains the global block's paths (attrs.go) here, beside the feature.
func init() { Attrs = append(Attrs, AttrGlobal, AttrGlobalRole, AttrGlobalJoin, AttrGlobalPromote) }

// Roles in a global datastore.
const (
	RolePrimary   = "primary"
	RoleSecondary = "secondary"
)

// Joins reports whether the stack is configured as a secondary.
func (g Global) Joins() bool { return g.Join != "" }

// Member reports whether the stack is configured to be in a datastore.
func (g Global) Member() bool { return g.Role == RolePrimary || g.Joins() }

// AlarmGlobalReplicationLag is the override key of a secondary's cross-region lag alarm.
const AlarmGlobalReplicationLag = "global_replication_lag"

// GlobalInherited are the settings a secondary takes from its global datastore: AWS answers
// InvalidParameterCombination when a CreateReplicationGroup with GlobalReplicationGroupId
// carries them (hashicorp/aws #24854; replication_group.go global_replication_group_id
// ConflictsWith), and the parameter group is the datastore's ("global-datastore-<id>").
var GlobalInherited = []Attr{AttrEngine, AttrEngineVersion, AttrProvisionedNodeType, AttrProvisionedShards,
	AttrProvisionedEvictionPolicy, AttrProvisionedParameters}

// globalFamilies are the node families Global Datastore runs on, size large and above (AWS docs
// Redis-Global-Datastores-Getting-Started.html).
var globalFamilies = []string{"m5", "m6g", "m7g", "r5", "r6g", "r6gd", "r7g", "c7gn"}

// GlobalNodeTypeSupported reports whether a global datastore can run on the node type.
func GlobalNodeTypeSupported(nodeType string) bool {
	parts := strings.Split(nodeType, ".")
	if len(parts) != 3 || !contains(globalFamilies, parts[1]) {
		return false
	}
	return !contains([]string{"nano", "micro", "small", "medium"}, parts[2])
}

// ValidateGlobal checks the global block against the rest of the configuration. set lists the
// attributes the configuration sets (a secondary may not set what it inherits).
func ValidateGlobal(in Input, set map[Attr]bool) []Problem {
	g := in.Global
	// A join naming the primary stack's attribute is unknown until that stack exists.
	joins := g.Joins() || in.Unknown[AttrGlobalJoin]
	if !g.Member() && !g.Promote && !joins {
		return nil
	}
	var ps []Problem
	add := func(attr Attr, summary, detail string) { ps = append(ps, Problem{attr, summary, detail}) }
	if g.Role != "" && g.Role != RolePrimary {
		add(AttrGlobalRole, "Invalid global role", fmt.Sprintf("global.role is %q; the only role to configure is %q (a secondary sets global.join instead).", g.Role, RolePrimary))
	}
	if g.Role == RolePrimary && joins {
		add(AttrGlobalJoin, "A stack is primary or secondary, not both", "set either global.role = \"primary\" (this stack creates the global datastore) or global.join (this stack joins one), not both.")
	}
	if g.Promote && !joins {
		add(AttrGlobalPromote, "Only a secondary is promoted", "global.promote fails the global datastore over to this stack: it needs global.join.")
	}
	if in.Known(AttrMode) && in.Known(AttrEngine) && in.Shape() != ShapeReplicationGroup {
		add(AttrGlobal, "Global Datastore needs a Valkey or Redis OSS replication group",
			fmt.Sprintf("a %s %s stack cannot be in a global datastore: use mode = \"provisioned\" with engine valkey or redis.", in.Mode, in.Engine))
	}
	if g.Role == RolePrimary && in.Known(AttrProvisionedNodeType) && !GlobalNodeTypeSupported(in.Provisioned.NodeType) {
		add(AttrProvisionedNodeType, "Node type not supported by Global Datastore",
			fmt.Sprintf("%s cannot run a global datastore: use the %s families, size large or above (e.g. cache.r7g.large).", in.Provisioned.NodeType, strings.Join(globalFamilies, ", ")))
	}
	if joins {
		var inherited []string
		for _, a := range GlobalInherited {
			if set[a] {
				inherited = append(inherited, a.String())
			}
		}
		if !in.RestoreFrom.Empty() {
			add(AttrRestoreFrom, "A secondary starts from the global datastore's data",
				"remove restore_from: AWS creates a secondary from the primary's data (a snapshot to seed from is refused); restore into the primary stack instead.")
		}
		if in.PreserveDataOnReplace {
			add(AttrPreserveDataOnReplace, "A secondary's data is the global datastore's",
				"remove preserve_data_on_replace: a replaced secondary joins the datastore again and copies the primary's data; there is nothing of its own to carry over.")
		}
		if len(inherited) > 0 {
			add(AttrGlobalJoin, "A secondary inherits these settings from the global datastore",
				fmt.Sprintf("remove %s: a secondary takes engine, engine_version, provisioned.node_type, provisioned.shards and the parameters (eviction_policy, parameters) from the global datastore; change them on the primary stack.", strings.Join(inherited, ", ")))
		}
	}
	return ps
}

// GlobalReplacements: a stack joins a datastore only when it is created (AWS does not add an
// existing cluster as a secondary: "the process of adding a cluster as secondary wipes data").
func GlobalReplacements(prior, planned Input) []Reason {
	if !planned.Known(AttrGlobalJoin) || prior.Global.Join == planned.Global.Join || planned.Global.Join == "" {
		return nil
	}
	return []Reason{{AttrGlobalJoin, "a secondary is created inside its global datastore; AWS does not add an existing cluster (joining wipes its data)"}}
}

// GlobalWarnings are what a change does beyond this region: changes of the whole datastore,
// made on the primary, reach every member region; promote fails the datastore over.
func GlobalWarnings(prior, planned Input) []Warning {
	var out []Warning
	g := prior.Global
	if g.DatastoreID != "" && g.CurrentRole == RolePrimary {
		for _, a := range []Attr{AttrEngineVersion, AttrProvisionedNodeType, AttrProvisionedShards} {
			before, after := globalSetting(prior, a), globalSetting(planned, a)
			if planned.Known(a) && before != after {
				out = append(out, Warning{a, fmt.Sprintf("%s changes on the whole global datastore %s", a, g.DatastoreID),
					fmt.Sprintf("%s goes from %s to %s on every member of the global datastore, in regions %s: the change is made once on the datastore (ModifyGlobalReplicationGroup / node group changes) and each region's group follows; the secondaries show the new value after their next refresh.", a, before, after, strings.Join(g.Regions, ", "))})
			}
		}
	}
	if planned.Known(AttrGlobalPromote) && planned.Global.Promote && !prior.Global.Promote && g.CurrentRole != RolePrimary {
		out = append(out, Warning{AttrGlobalPromote, fmt.Sprintf("Failover of global datastore %s to this region", firstNonEmpty(g.DatastoreID, planned.Global.Join)),
			"this stack's group becomes the primary and takes the writes; the current primary becomes a read-only secondary. Writes to the old primary fail from the moment the failover starts until clients use this region's endpoint; writes not yet replicated (see GlobalDatastoreReplicationLag) are lost."})
	}
	return out
}

func globalSetting(in Input, a Attr) string {
	switch a {
	case AttrEngineVersion:
		return in.EngineVersion
	case AttrProvisionedNodeType:
		return in.Provisioned.NodeType
	}
	return fmt.Sprint(in.Provisioned.Shards)
}

// GlobalDestroyProblem is why a stack cannot be destroyed now: the primary of a datastore that
// still has secondaries (AWS deletes a global datastore only when it holds its primary alone).
func GlobalDestroyProblem(g Global) *Problem {
	if g.CurrentRole != RolePrimary || len(g.Regions) < 2 {
		return nil
	}
	return &Problem{AttrGlobal, "The primary of a global datastore with secondaries cannot be destroyed",
		fmt.Sprintf("global datastore %s still has members in %s besides this primary: destroy the secondary stacks first (each leaves the datastore, DisassociateGlobalReplicationGroup, then is deleted), then this one; or fail over to a secondary with global.promote and destroy this stack once it is a secondary.", g.DatastoreID, strings.Join(g.Regions[1:], ", "))}
}

// globalAlarmDefaults: a secondary watches how far it is behind the primary region
// (GlobalDatastoreReplicationLag, seconds, published by the secondary's clusters).
func globalAlarmDefaults(g Global) []alarmDefault {
	if !g.Joins() {
		return nil
	}
	return []alarmDefault{{AlarmGlobalReplicationLag, "GlobalDatastoreReplicationLag", "Maximum", "GreaterThanThreshold", "notBreaching",
		"this region is more than 5 s behind the primary region: a failover now would lose the writes in between", 5, 60, 5, 5}}
}

// ThroughDatastore reports whether the stack's datastore-wide changes (engine version, node
// type, shards) go through its global datastore: it is its primary and stays so, or becomes
// the primary of a new one in this apply (the datastore is created first; AWS then takes
// those changes of a member only through it). They apply at once, whatever
// provisioned.apply_immediately says: "Modifications to Global Replication Groups cannot be
// requested to be applied in PreferredMaintenceWindow"
// (ModifyGlobalReplicationGroup.ApplyImmediately, botocore elasticache service-2.json).
func ThroughDatastore(prior, planned Input) bool {
	if planned.Global.Role != RolePrimary {
		return false
	}
	staysPrimary := prior.Global.DatastoreID != "" && prior.Global.CurrentRole == RolePrimary
	becomesPrimary := prior.Global.DatastoreID == "" && !prior.Global.Joins()
	return staysPrimary || becomesPrimary
}
