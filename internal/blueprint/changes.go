package blueprint

import (
	"fmt"
	"maps"
	"slices"
)

// DataLossConsequence is what every replacement of a stack costs.
const DataLossConsequence = "all cached data is lost: the cache is deleted and created anew with a new endpoint (set provisioned.final_snapshot_name to keep a snapshot)"

// Reason names one attribute whose change forces replacement, and why.
type Reason struct {
	Attribute Attr
	Why       string
}

// Warning is a disruption a reviewer should see in the plan.
type Warning struct {
	Attribute Attr
	Summary   string
	Detail    string
}

// Assessment says what moving a stack from prior to planned does beyond the diff itself.
type Assessment struct {
	Replace  []Reason
	Warnings []Warning
	// Refuse lists changes AWS would reject half-way through an apply; the plan fails with
	// them, naming what to do instead.
	Refuse []Problem
}

// RequiresReplace reports whether any change forces replacement.
func (a Assessment) RequiresReplace() bool { return len(a.Replace) > 0 }

// Assess is where in place and replacement are decided: it compares the prior and planned
// configuration of an existing stack. Unknown planned values are not judged: they are assessed
// again when known.
func Assess(prior, planned Input) Assessment {
	a := Assessment{Replace: append(Replacements(prior, planned), GlobalReplacements(prior, planned)...)}
	if a.RequiresReplace() {
		return a
	}
	a.Refuse = refusals(prior, planned)
	c := change{prior: prior, planned: planned}
	c.failoverWarnings()
	c.topologyWarnings()
	c.dataWarnings()
	if capacity := kinds[planned.Shape()].capacityWarnings; capacity != nil {
		capacity(&c)
	}
	c.accessWarnings()
	c.placementWarnings()
	a.Warnings = append(c.warnings, GlobalWarnings(prior, planned)...)
	return a
}

// change is one prior -> planned move and the warnings found so far.
type change struct {
	prior, planned Input
	warnings       []Warning
}

func (c *change) known(attribute Attr) bool { return c.planned.Known(attribute) }

func (c *change) warn(attribute Attr, summary, detail string) {
	c.warnings = append(c.warnings, Warning{attribute, summary, detail})
}

// comparableVersions are the engine versions to compare: serverless caches run a major version
// (AWS picks the minor), so for them only majors compare.
func comparableVersions(prior, planned Input) (string, string) {
	if planned.Shape().MajorVersionOnly() && prior.Engine == planned.Engine {
		return MajorEngineVersion(prior.Engine, prior.EngineVersion), MajorEngineVersion(planned.Engine, planned.EngineVersion)
	}
	return prior.EngineVersion, planned.EngineVersion
}

// Replacements lists the changes AWS cannot make in place, each with why.
func Replacements(prior, planned Input) []Reason {
	var out []Reason
	replace := func(attr Attr, why string) { out = append(out, Reason{attr, why}) }
	known := planned.Known
	if known(AttrMode) && prior.Mode != planned.Mode {
		replace(AttrMode, fmt.Sprintf("mode changes from %s to %s; AWS cannot convert between node-based and serverless caches", prior.Mode, planned.Mode))
	}
	if known(AttrEngine) && prior.Engine != planned.Engine && !(prior.Engine == EngineRedis && planned.Engine == EngineValkey) {
		replace(AttrEngine, fmt.Sprintf("engine changes from %s to %s; only redis -> valkey is possible in place", prior.Engine, planned.Engine))
	}
	priorVersion, plannedVersion := comparableVersions(prior, planned)
	if known(AttrEngineVersion) && priorVersion != "" && plannedVersion != "" && CompareVersions(plannedVersion, priorVersion) < 0 {
		replace(AttrEngineVersion, fmt.Sprintf("engine_version goes down from %s to %s; AWS cannot downgrade an engine", prior.EngineVersion, planned.EngineVersion))
	}
	if known(AttrNetworkPort) && prior.Network.Port != planned.Network.Port {
		replace(AttrNetworkPort, fmt.Sprintf("port changes from %d to %d; AWS fixes the port at creation", prior.Network.Port, planned.Network.Port))
	}
	if known(AttrSecurityKMSKeyARN) && prior.Security.KMSKeyARN != planned.Security.KMSKeyARN {
		replace(AttrSecurityKMSKeyARN, "the at-rest encryption key is fixed at creation")
	}
	if known(AttrProvisionedNodeType) && dataTieringChanges(prior, planned) {
		replace(AttrProvisionedNodeType, fmt.Sprintf("node_type changes from %s to %s; data tiering (the r6gd family) is fixed when AWS creates the group", prior.Provisioned.NodeType, planned.Provisioned.NodeType))
	}
	return append(out, placementReplacements(prior, planned)...)
}

// failoverWarnings is where a failover warning comes from: changes AWS makes node by node,
// each with a failover that clients see as a brief reconnect, and Multi-AZ turning off.
func (c *change) failoverWarnings() {
	pp, np := c.prior.Provisioned, c.planned.Provisioned
	deferred := ""
	if !np.ApplyImmediately && !ThroughDatastore(c.prior, c.planned) {
		deferred = fmt.Sprintf(" It waits for the maintenance window (%s) because provisioned.apply_immediately is false.", np.MaintenanceWindow)
	}
	if c.known(AttrProvisionedNodeType) && pp.NodeType != np.NodeType {
		c.warn(AttrProvisionedNodeType, fmt.Sprintf("Node type changes from %s to %s", pp.NodeType, np.NodeType),
			"AWS scales online: data is copied to new nodes, then a failover switches to them and clients reconnect briefly."+deferred)
	}
	priorVersion, plannedVersion := comparableVersions(c.prior, c.planned)
	if c.known(AttrEngineVersion) && CompareVersions(plannedVersion, priorVersion) > 0 {
		c.warn(AttrEngineVersion, fmt.Sprintf("Engine upgrade from %s to %s", c.prior.EngineVersion, c.planned.EngineVersion),
			"nodes are upgraded one at a time, each with a failover; clients reconnect once per node."+deferred+familyChange(c.prior, c.planned))
	}
	if c.known(AttrEngine) && c.prior.Engine == EngineRedis && c.planned.Engine == EngineValkey {
		c.warn(AttrEngine, "Engine moves from redis to valkey in place", "nodes are replaced one at a time with failovers; the endpoint and data are kept."+familyChange(c.prior, c.planned))
	}
}

// dataWarnings are changes to what the cache keeps: the eviction policy and engine parameters.
func (c *change) dataWarnings() {
	pp, np := c.prior.Provisioned, c.planned.Provisioned
	if c.known(AttrProvisionedEvictionPolicy) && pp.EvictionPolicy != np.EvictionPolicy {
		c.warn(AttrProvisionedEvictionPolicy, fmt.Sprintf("Eviction policy changes from %s to %s", pp.EvictionPolicy, np.EvictionPolicy),
			"the parameter group changes at once: under memory pressure different keys are evicted (or writes fail with noeviction).")
	}
	if c.known(AttrProvisionedParameters) && !maps.Equal(pp.Parameters, np.Parameters) {
		c.warn(AttrProvisionedParameters, "Engine parameters change", "parameter changes apply to every node of the stack at once; some need a reboot to take effect.")
	}
}

// topologyWarnings warn about resharding, fewer replicas and Multi-AZ turning off (settings
// only a replication group has; validation keeps them unchanged for the other kinds).
func (c *change) topologyWarnings() {
	pp, np := c.prior.Provisioned, c.planned.Provisioned
	if c.known(AttrProvisionedShards) && pp.Shards != np.Shards {
		detail := "online resharding moves hash slots between shards; latency and CPU rise while it runs, data is kept."
		if pp.Shards == 1 && np.Shards > 1 {
			detail += " Cluster mode turns on: clients must use the configuration_endpoint with a cluster-aware client, and multi-key commands must stay within one hash slot."
		}
		c.warn(AttrProvisionedShards, fmt.Sprintf("Resharding from %d to %d shards", pp.Shards, np.Shards), detail)
	}
	if c.known(AttrProvisionedReplicasPerShard) && np.ReplicasPerShard < pp.ReplicasPerShard {
		c.warn(AttrProvisionedReplicasPerShard, fmt.Sprintf("Replicas per shard go down from %d to %d", pp.ReplicasPerShard, np.ReplicasPerShard),
			"connections to the removed replicas are closed; reads they served move to the remaining nodes.")
	}
	if c.known(AttrProvisionedMultiAZ) && pp.MultiAZ && !np.MultiAZ {
		c.warn(AttrProvisionedMultiAZ, "Multi-AZ turns off", "losing the primary's Availability Zone will no longer fail over automatically to another zone.")
	}
}

// memcachedCapacity warns that adding or removing Memcached nodes moves keys.
func memcachedCapacity(c *change) {
	pp, np := c.prior.Provisioned, c.planned.Provisioned
	if !c.known(AttrProvisionedNumNodes) || pp.MemcachedNodes() == np.MemcachedNodes() {
		return
	}
	if np.MemcachedNodes() < pp.MemcachedNodes() {
		c.warn(AttrProvisionedNumNodes, fmt.Sprintf("Memcached nodes go down from %d to %d", pp.MemcachedNodes(), np.MemcachedNodes()),
			"the removed nodes' keys are lost, and clients' consistent hashing moves other keys: expect a burst of cache misses.")
		return
	}
	c.warn(AttrProvisionedNumNodes, fmt.Sprintf("Memcached nodes go up from %d to %d", pp.MemcachedNodes(), np.MemcachedNodes()),
		"new nodes start empty and clients' consistent hashing moves about 1/N of the keys to them: expect a burst of cache misses.")
}

// serverlessCapacity warns when a usage limit goes down: requests or data above it fail.
func serverlessCapacity(c *change) {
	lowered := func(old, next int64) bool { return next != 0 && (old == 0 || next < old) }
	ps, ns := c.prior.Serverless, c.planned.Serverless
	if c.known(AttrServerlessMaxECPUPerSecond) && lowered(ps.MaxECPUPerSecond, ns.MaxECPUPerSecond) {
		c.warn(AttrServerlessMaxECPUPerSecond, "ECPU limit goes down", "requests above the new limit are throttled (ThrottledCmds).")
	}
	if c.known(AttrServerlessMaxDataStorageGB) && lowered(ps.MaxDataStorageGB, ns.MaxDataStorageGB) {
		c.warn(AttrServerlessMaxDataStorageGB, "Storage limit goes down", "when stored data exceeds the new limit, writes fail and keys may be evicted.")
	}
}

// accessWarnings are changes to who may connect and how: TLS, AUTH, RBAC and subnets.
func (c *change) accessWarnings() {
	ps, ns := c.prior.Security, c.planned.Security
	if c.known(AttrSecurityTransitEncryptionMode) && ps.TransitEncryptionMode != ns.TransitEncryptionMode {
		if ns.TransitEncryptionMode == TransitRequired {
			c.warn(AttrSecurityTransitEncryptionMode, "TLS becomes required", "clients that connect without TLS are refused from now on.")
		} else {
			c.warn(AttrSecurityTransitEncryptionMode, "TLS becomes optional", "plaintext connections are accepted again; use this only while migrating clients.")
		}
	}
	switch AuthTransition(ps, ns) {
	case AuthAdd:
		c.warn(AttrSecurityAuthTokenWO, "AUTH token is added", "from now on clients must send AUTH with the token.")
	case AuthDelete:
		c.warn(AttrSecurityAuthTokenWO, "AUTH token is removed", "the cache accepts connections without AUTH from the allowed sources.")
	case AuthRotate:
		if c.known(AttrSecurityAuthTokenWOVersion) {
			c.warn(AttrSecurityAuthTokenWO, "AUTH token rotates",
				"the new token is added (ROTATE) and then made the only valid one (SET): clients still using the old token are refused after this apply.")
		}
	}
	if c.known(AttrSecurityUserGroupID) && ps.UserGroupID != ns.UserGroupID {
		c.warn(AttrSecurityUserGroupID, "RBAC user group changes", "clients must authenticate as users of the new group; connections of removed users are closed.")
	}
	if c.known(AttrNetworkSubnetIDs) && !slices.Equal(sortedCopy(c.prior.Network.SubnetIDs), sortedCopy(c.planned.Network.SubnetIDs)) {
		c.warn(AttrNetworkSubnetIDs, "Subnets change", "existing nodes stay where they are; new subnets are used for nodes created from now on.")
	}
}

// AuthAction is what an apply does with the AUTH token.
type AuthAction string

const (
	AuthKeep   AuthAction = ""
	AuthAdd    AuthAction = "add"    // a token where there was none
	AuthRotate AuthAction = "rotate" // a new token version replaces the old token
	AuthDelete AuthAction = "delete" // the token goes; the cache accepts connections without AUTH
)

// AuthTransition is where the AUTH token decision is made: a token configured for the first
// time is added, a new version rotates it, and removing it deletes it. Only the version is
// compared: the token itself never reaches planning.
func AuthTransition(had, want Security) AuthAction {
	switch {
	case want.AuthTokenConfigured && !had.AuthTokenConfigured:
		return AuthAdd
	case want.AuthTokenConfigured && had.AuthTokenVersion != want.AuthTokenVersion:
		return AuthRotate
	case had.AuthTokenConfigured && !want.AuthTokenConfigured:
		return AuthDelete
	}
	return AuthKeep
}

// familyChange tells the reviewer which parameter group a major upgrade switches to.
func familyChange(prior, planned Input) string {
	if planned.Shape() == ShapeServerless {
		return ""
	}
	from, errFrom := ParameterGroupFamily(prior.Engine, prior.EngineVersion)
	to, errTo := ParameterGroupFamily(planned.Engine, planned.EngineVersion)
	if errFrom != nil || errTo != nil || from == to {
		return ""
	}
	old := firstNonEmpty(prior.ParameterGroupName, ParameterGroupName(prior.Name, prior.ClusterMode()))
	next := NextParameterGroupName(prior, planned)
	when := "once the group no longer uses it"
	if !planned.Provisioned.ApplyImmediately && !ThroughDatastore(prior, planned) {
		when = "by destroy, or stays until then: AWS keeps using it until the maintenance window applies the upgrade"
	}
	return fmt.Sprintf(" The parameter group family changes from %s to %s: parameter group %s (family %s, same parameters) is created and passed with the new version; the old group %s is deleted %s.", from, to, next, to, old, when)
}

// refusals are the changes AWS rejects in the middle of an apply (leaving part of it done):
// the plan fails instead and says what to do.
func refusals(prior, planned Input) []Problem {
	if planned.Shape() != ShapeReplicationGroup {
		return nil
	}
	var ps []Problem
	known := planned.Known
	// AWS removes an AUTH token only on the way to RBAC (AuthTokenUpdateStrategy=DELETE is
	// "allowed only when transitioning to RBAC").
	if prior.Security.AuthTokenConfigured && !planned.Security.AuthTokenConfigured && known(AttrSecurityUserGroupID) && known(AttrSecurityUsers) && planned.EffectiveUserGroupID() == "" {
		ps = append(ps, Problem{AttrSecurityAuthTokenWO, "AUTH token cannot just be removed",
			"AWS deletes an AUTH token only when the group moves to RBAC in the same call. Set security.user_group_id (or security.users) in the same change, or keep auth_token_wo; a cache without any authentication needs a new stack."})
	}
	migrating := !prior.ClusterMode() && known(AttrProvisionedShards) && planned.Provisioned.Shards > 1
	if !migrating {
		return ps
	}
	// Cluster mode comes online through ClusterMode=compatible, which AWS accepts only with
	// automatic failover on (a replica), on Valkey 7.2+ or Redis OSS 7.0+.
	if prior.Provisioned.ReplicasPerShard < 1 {
		ps = append(ps, Problem{AttrProvisionedShards, "Cluster mode needs a replica first",
			fmt.Sprintf("moving from 1 to %d shards turns cluster mode on, which AWS allows only with automatic failover, i.e. a replica. Apply replicas_per_shard = 1 (with shards = 1) first, then change shards; replicas_per_shard can go back to 0 afterwards.", planned.Provisioned.Shards)})
	}
	if prior.Engine == EngineRedis && CompareVersions(prior.EngineVersion, "7.0") < 0 {
		ps = append(ps, Problem{AttrProvisionedShards, "Cluster mode needs a newer engine",
			fmt.Sprintf("moving to cluster mode in place needs Redis OSS 7.0 or later (or Valkey 7.2 or later); this stack runs redis %s. Upgrade engine_version in its own apply first, then change shards.", prior.EngineVersion)})
	} else if known(AttrEngineVersion) && known(AttrEngine) && (prior.Engine != planned.Engine || prior.EngineVersion != planned.EngineVersion) {
		ps = append(ps, Problem{AttrProvisionedShards, "Cluster mode and an engine change together",
			"AWS accepts no other change while the group is moving to cluster mode: apply the engine change first, then change shards."})
	}
	return ps
}

func dataTieringChanges(prior, planned Input) bool {
	return planned.Shape() == ShapeReplicationGroup && DataTiering(prior.Provisioned.NodeType) != DataTiering(planned.Provisioned.NodeType)
}
