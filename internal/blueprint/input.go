// Package blueprint decides what an elasticache_stack should look like. It turns the user's
// configuration (Input) into the desired state of every component (Stack), validates it, and
// assesses what a change from one Input to another disrupts. It makes no AWS calls, so all of it
// is unit-tested without a network; internal/awsops carries the decisions out.
package blueprint

// Input is the user's configuration of one stack, with defaults applied and provider default
// tags merged in. Values Terraform does not know yet are listed in Unknown by attribute path
// (for example "provisioned.shards") so validation can skip them until they are known.
type Input struct {
	Name          string
	Mode          string
	Engine        string
	EngineVersion string

	Network     Network
	Provisioned Provisioned
	Serverless  Serverless
	Security    Security

	NotificationTopicARN string
	Tags                 map[string]string
	Alarms               AlarmSettings

	// ClusterModeEnabled is true once AWS has cluster mode on; it never turns off again.
	ClusterModeEnabled bool
	// MemberClusters are the member cluster ids AWS reports, when known. A group migrated to
	// cluster mode keeps its old member names, so they are not always derivable from the shape.
	MemberClusters []string
	// ParameterGroupName is the group the stack runs (state) or is to run; empty for a new
	// stack, which gets ParameterGroupName's default.
	ParameterGroupName string

	// Logs is the logs block (slow and engine log delivery).
	Logs Logs

	// RestoreFrom is the data a new cache starts from (restore_from); creation only.
	RestoreFrom RestoreSource
	// PreserveDataOnReplace carries the data across a replacement through a snapshot
	// (PreserveSnapshotName), which is deleted after the restore unless KeepPreserveSnapshot.
	PreserveDataOnReplace bool
	KeepPreserveSnapshot  bool
	// Global is the stack's part in a global datastore (global.go).
	Global Global

	Unknown map[Attr]bool
	// Set lists the attribute paths the configuration sets explicitly (filled for validation),
	// so a default is never mistaken for a choice the user made.
	Set map[Attr]bool
}

// Serverless holds the settings of a serverless cache. Zero limits mean unlimited; zero
// minimums mean none (the cache starts small and scales from there).
type Serverless struct {
	MaxDataStorageGB      int64
	MaxECPUPerSecond      int64
	MinDataStorageGB      int64
	MinECPUPerSecond      int64
	DailySnapshotTime     string
	SnapshotRetentionDays int
	FinalSnapshotName     string
}

// Shape is what the stack deploys.
func (in Input) Shape() Shape { return ShapeOf(in.Mode, in.Engine) }

// Network is the stack's placement and who may connect to it.
type Network struct {
	SubnetIDs               []string
	AllowedSecurityGroupIDs []string
	AllowedCIDRBlocks       []string
	Port                    int

	// Placement (issue 17 §4): shared platform groups attached next to the stack's own group
	// (their rules are never edited), and the IP protocols of the nodes.
	AdditionalSecurityGroupIDs []string
	Type                       string // NetworkTypeIPv4, NetworkTypeIPv6 or NetworkTypeDualStack
	IPDiscovery                string // the IP version cluster discovery advertises
}

// Provisioned holds the settings of a node-based replication group.
type Provisioned struct {
	NodeType              string
	Shards                int
	ReplicasPerShard      int
	MultiAZ               bool
	EvictionPolicy        string
	Parameters            map[string]string
	SnapshotRetentionDays int
	SnapshotWindow        string
	MaintenanceWindow     string
	FinalSnapshotName     string
	ApplyImmediately      bool
	// NumNodes is the Memcached node count (Memcached has no shards or replicas).
	NumNodes int

	// Placement and upgrades (issue 17 §4).
	AutoMinorVersionUpgrade bool
	// PreferredAZs are the zones of a shard's nodes, primary first (of a Memcached cluster's
	// nodes); empty lets AWS choose.
	PreferredAZs []string
	// Autoscaling is provisioned.autoscaling; nil when no count scales.
	Autoscaling *Autoscaling
}

// Security holds encryption and authentication. The AUTH token itself never appears here:
// only whether one is configured and its version, so nothing secret flows through planning.
type Security struct {
	TransitEncryptionMode string
	KMSKeyARN             string
	UserGroupID           string
	AuthTokenConfigured   bool
	AuthTokenVersion      int64
	// Users are the RBAC users the stack creates, by user name (security.users).
	Users map[string]User
}

// Known reports whether the value at an attribute path is known.
func (in Input) Known(attribute Attr) bool { return !in.Unknown[attribute] }

// NodesPerShard is the primary plus its replicas.
func (p Provisioned) NodesPerShard() int { return 1 + p.ReplicasPerShard }

// NodeCount is the total number of nodes in the replication group.
func (p Provisioned) NodeCount() int { return p.Shards * p.NodesPerShard() }

// DefaultMemcachedNodes is the node count of a Memcached stack that does not set num_nodes:
// two nodes in different zones, so losing one loses half the keys, not all.
const DefaultMemcachedNodes = 2

// MemcachedNodes is the configured node count or its default.
func (p Provisioned) MemcachedNodes() int {
	if p.NumNodes > 0 {
		return p.NumNodes
	}
	return DefaultMemcachedNodes
}

// ClusterMode reports whether the replication group runs (or will run) in cluster mode: more
// than one shard turns it on, and once on it stays on.
func (in Input) ClusterMode() bool { return in.Provisioned.Shards > 1 || in.ClusterModeEnabled }

// Members returns the member cluster ids: the observed ones when given, else the ones AWS
// assigns to a new group of this shape.
func (in Input) Members() []string {
	if in.MemberClusters != nil {
		return in.MemberClusters
	}
	switch in.Shape() {
	case ShapeMemcachedCluster:
		return []string{in.Name}
	case ShapeServerless:
		return []string{}
	}
	return MemberClusterIDs(in.Name, in.Provisioned.Shards, in.Provisioned.ReplicasPerShard, in.ClusterMode())
}
