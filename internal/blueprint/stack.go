package blueprint

import (
	"fmt"
	"maps"
	"sort"
	"strings"
)

// Stack is the desired state of every component of one elasticache_stack. Cache holds the spec
// of the stack's kind only; SubnetGroup and ParameterGroup are nil for a kind that has none
// (a serverless cache takes the subnets directly and has no parameters).
type Stack struct {
	Name           string
	Shape          Shape
	SecurityGroup  SecurityGroupSpec
	SubnetGroup    *SubnetGroupSpec
	ParameterGroup *ParameterGroupSpec
	Cache          CacheSpec
	Alarms         []AlarmSpec
	// Users is the stack's own user group with its users; nil when it manages none.
	Users *UserGroupSpec
	// LogGroups are the CloudWatch Logs groups the cache delivers its logs to.
	LogGroups []LogGroupSpec
	// Scaling are the Application Auto Scaling targets and policies of the replication group.
	Scaling []ScalingSpec
}

// CacheSpec is the desired state of the cache itself: a ReplicationGroupSpec,
// CacheClusterSpec or ServerlessCacheSpec.
type CacheSpec interface{ Kind() Shape }

func (ReplicationGroupSpec) Kind() Shape { return ShapeReplicationGroup }
func (CacheClusterSpec) Kind() Shape     { return ShapeMemcachedCluster }
func (ServerlessCacheSpec) Kind() Shape  { return ShapeServerless }

// CacheClusterSpec is a provisioned Memcached cluster.
type CacheClusterSpec struct {
	ID                   string
	EngineVersion        string // full release, e.g. 1.6.22
	NodeType             string
	NumNodes             int
	Port                 int
	TransitEncryption    bool
	MaintenanceWindow    string
	NotificationTopicARN string
	ApplyImmediately     bool
	Tags                 map[string]string
	Placement
}

// ServerlessCacheSpec is a serverless cache. It takes the subnets and the security group
// directly: no subnet or parameter group.
type ServerlessCacheSpec struct {
	Name               string
	Description        string
	Engine             string
	MajorEngineVersion string
	SubnetIDs          []string
	Serverless         // usage limits, minimums, snapshots
	KMSKeyARN          string
	UserGroupID        string
	Tags               map[string]string
	// Restore is the data the cache starts from (creation only): SnapshotARNs.
	Restore RestoreSource
	Placement
}

// SecurityGroupSpec is the cache's security group: ingress on the cache port from the allowed
// sources only, and no egress rules (a cache never initiates connections).
type SecurityGroupSpec struct {
	Name        string
	Description string
	Ingress     []IngressRule
	Tags        map[string]string
}

// Rules renders the rules the group should have, sorted, the way AWS's rules are rendered
// when observed: comparing the two is how security group drift is found.
func (s SecurityGroupSpec) Rules() []string {
	out := make([]string, 0, len(s.Ingress))
	for _, r := range s.Ingress {
		out = append(out, r.String())
	}
	sort.Strings(out)
	return out
}

// IngressRule admits one source on the cache port over TCP.
type IngressRule struct {
	Port                  int
	SourceSecurityGroupID string
	CIDR                  string
}

// String renders a rule the way it appears in plan output and drift reports.
func (r IngressRule) String() string {
	src := r.CIDR
	if r.SourceSecurityGroupID != "" {
		src = r.SourceSecurityGroupID
	}
	return fmt.Sprintf("ingress tcp/%d from %s", r.Port, src)
}

// SubnetGroupSpec is the cache subnet group over the caller's subnets.
type SubnetGroupSpec struct {
	Name        string
	Description string
	SubnetIDs   []string
	Tags        map[string]string
}

// ParameterGroupSpec carries the eviction policy and any other engine parameter.
type ParameterGroupSpec struct {
	Name        string
	Family      string
	Description string
	Parameters  map[string]string
	Tags        map[string]string
}

// ReplicationGroupSpec is the Valkey/Redis replication group.
type ReplicationGroupSpec struct {
	ID                    string
	Description           string
	Engine                string
	EngineVersion         string
	NodeType              string
	Port                  int
	Shards                int
	ReplicasPerShard      int
	ClusterMode           bool
	AutomaticFailover     bool
	DataTiering           bool
	MultiAZ               bool
	TransitEncryptionMode string
	KMSKeyARN             string
	SnapshotRetentionDays int
	SnapshotWindow        string
	MaintenanceWindow     string
	NotificationTopicARN  string
	UserGroupID           string
	AuthTokenConfigured   bool
	ApplyImmediately      bool
	FinalSnapshotName     string
	MemberClusters        []string
	Tags                  map[string]string
	// LogDeliveries are the slow and engine logs the group delivers; a log type not listed
	// is switched off.
	LogDeliveries []LogDeliverySpec
	// Restore is the data the group starts from (creation only).
	Restore RestoreSource
	Placement
	// GlobalDatastoreID is the global datastore a secondary is created in ("" otherwise).
	GlobalDatastoreID string
}

// SecurityGroupName is the name of the stack's security group.
func SecurityGroupName(stackName string) string { return "elasticache-" + stackName }

// Engine parameters the stack sets itself.
const (
	ParameterNameEviction       = "maxmemory-policy"
	ParameterNameClusterEnabled = "cluster-enabled"
)

// ParameterGroupName names the stack's parameter group. Cluster mode needs a group with
// cluster-enabled=yes, and AWS will not flip that on a group in use, so the cluster-mode group
// has its own name: moving to cluster mode creates it, switches to it, and drops the old one.
func ParameterGroupName(stackName string, clusterMode bool) string {
	if clusterMode {
		return stackName + "-cluster"
	}
	return stackName
}

// NextParameterGroupName is the parameter group a stack moving from had to want runs. A group's
// family is fixed when it is created, and AWS takes a major upgrade only together with a group
// of the new family, so a family change gets a new group named after its family
// ("<name>-valkey8"); moving to cluster mode gets "<name>-cluster" (cluster-enabled cannot
// change on a group in use). Otherwise the current group stays.
func NextParameterGroupName(had, want Input) string {
	current := firstNonEmpty(had.ParameterGroupName, ParameterGroupName(had.Name, had.ClusterMode()))
	hadFamily, errHad := ParameterGroupFamily(had.Engine, had.EngineVersion)
	wantFamily, errWant := ParameterGroupFamily(want.Engine, want.EngineVersion)
	familyChanges := errHad == nil && errWant == nil && hadFamily != wantFamily
	if !familyChanges && had.ClusterMode() == want.ClusterMode() {
		return current
	}
	base := ParameterGroupName(want.Name, want.ClusterMode())
	if familyChanges {
		return FamilyParameterGroupName(base, wantFamily)
	}
	return base
}

// FamilyParameterGroupName appends the family to a group name ("redis6.x" as "redis6x": AWS
// group names take letters, digits and hyphens).
func FamilyParameterGroupName(base, family string) string {
	return base + "-" + strings.ReplaceAll(family, ".", "")
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// kinds maps each kind of cache to how its spec is built; Build picks one from the input,
// once, so nothing downstream asks which kind it is (the model is the tls provider's
// keyGenerators map).
var kinds = map[Shape]struct {
	cache            func(Input) CacheSpec
	withGroups       bool          // nodes, with a subnet group and a parameter group
	majorVersionOnly bool          // configured by major version; AWS picks the minor
	capacityWarnings func(*change) // warnings about the kind's own capacity settings
}{
	ShapeReplicationGroup: {replicationGroupSpec, true, false, nil},
	ShapeMemcachedCluster: {cacheClusterSpec, true, false, memcachedCapacity},
	ShapeServerless:       {serverlessCacheSpec, false, true, serverlessCapacity},
}

// MajorVersionOnly reports whether the shape runs a major engine version whose minor AWS
// picks (serverless): only majors compare, and the region's release list does not apply.
func (s Shape) MajorVersionOnly() bool { return kinds[s].majorVersionOnly }

// HasGroups reports whether the shape uses a subnet group and a parameter group.
func (s Shape) HasGroups() bool { return kinds[s].withGroups }

// HasNodes reports whether the shape runs nodes (and so has the provisioned settings): the
// kinds with nodes are the ones with subnet and parameter groups.
func (s Shape) HasNodes() bool { return kinds[s].withGroups }

// HasSnapshots reports whether AWS snapshots this kind (node-based Memcached has none).
func (s Shape) HasSnapshots() bool { return s != ShapeMemcachedCluster }

// Build turns a validated Input into the desired state of every component.
func Build(in Input) (Stack, error) {
	family, err := ParameterGroupFamily(in.Engine, in.EngineVersion)
	if err != nil {
		return Stack{}, err
	}
	shape := in.Shape()
	kind := kinds[shape]
	s := Stack{
		Name:  in.Name,
		Shape: shape,
		Cache: kind.cache(in),
		SecurityGroup: SecurityGroupSpec{
			Name:        SecurityGroupName(in.Name),
			Description: fmt.Sprintf("ElastiCache stack %s: cache port from allowed sources only", in.Name),
			Ingress:     IngressRules(in.Network),
			Tags:        in.Tags,
		},
		Alarms: Alarms(in, in.Alarms),
		Users:  UserGroup(in),
	}
	if shape == ShapeReplicationGroup {
		s.LogGroups = LogGroups(in)
		s.Scaling = ScalingSpecs(in)
	}
	if kind.withGroups {
		s.SubnetGroup = &SubnetGroupSpec{
			Name:        in.Name,
			Description: fmt.Sprintf("ElastiCache stack %s", in.Name),
			SubnetIDs:   sortedCopy(in.Network.SubnetIDs),
			Tags:        in.Tags,
		}
		s.ParameterGroup = &ParameterGroupSpec{
			Name:        firstNonEmpty(in.ParameterGroupName, ParameterGroupName(in.Name, in.ClusterMode())),
			Family:      family,
			Description: parameterGroupDescription(in),
			Parameters:  EngineParameters(in),
			Tags:        in.Tags,
		}
	}
	return s, nil
}

// EngineParameters is where the eviction policy is decided: the user's parameters plus
// maxmemory-policy (and cluster-enabled in cluster mode) for Valkey/Redis. Memcached has no
// eviction policy setting.
func EngineParameters(in Input) map[string]string {
	params := maps.Clone(in.Provisioned.Parameters)
	if params == nil {
		params = map[string]string{}
	}
	if in.Shape() == ShapeReplicationGroup {
		params[ParameterNameEviction] = in.Provisioned.EvictionPolicy
		if in.ClusterMode() {
			params[ParameterNameClusterEnabled] = "yes"
		}
	}
	return params
}

// SplitParameters is EngineParameters read back: the eviction policy, and the user's
// parameters without the ones the stack sets itself.
func SplitParameters(observed map[string]string) (eviction string, user map[string]string) {
	user = maps.Clone(observed)
	if user == nil {
		user = map[string]string{}
	}
	eviction = user[ParameterNameEviction]
	delete(user, ParameterNameEviction)
	delete(user, ParameterNameClusterEnabled)
	return eviction, user
}

func replicationGroupSpec(in Input) CacheSpec {
	p := in.Provisioned
	return ReplicationGroupSpec{
		ID:               in.Name,
		Description:      fmt.Sprintf("ElastiCache stack %s", in.Name),
		Engine:           in.Engine,
		EngineVersion:    in.EngineVersion,
		NodeType:         p.NodeType,
		Port:             in.Network.Port,
		Shards:           p.Shards,
		ReplicasPerShard: p.ReplicasPerShard,
		ClusterMode:      in.ClusterMode(),
		// AWS requires failover in cluster mode even without replicas; outside it, failover
		// needs a replica to promote.
		AutomaticFailover:     p.ReplicasPerShard >= 1 || in.ClusterMode(),
		DataTiering:           DataTiering(p.NodeType),
		MultiAZ:               p.MultiAZ,
		TransitEncryptionMode: in.Security.TransitEncryptionMode,
		KMSKeyARN:             in.Security.KMSKeyARN,
		SnapshotRetentionDays: p.SnapshotRetentionDays,
		SnapshotWindow:        p.SnapshotWindow,
		MaintenanceWindow:     p.MaintenanceWindow,
		NotificationTopicARN:  in.NotificationTopicARN,
		UserGroupID:           in.EffectiveUserGroupID(),
		AuthTokenConfigured:   in.Security.AuthTokenConfigured,
		ApplyImmediately:      p.ApplyImmediately,
		FinalSnapshotName:     p.FinalSnapshotName,
		MemberClusters:        in.Members(),
		Tags:                  in.Tags,
		LogDeliveries:         LogDeliveries(in),
		Restore:               in.RestoreFrom,
		Placement:             placementOf(in),
		GlobalDatastoreID:     in.Global.Join,
	}
}

func cacheClusterSpec(in Input) CacheSpec {
	p := in.Provisioned
	return CacheClusterSpec{
		ID:                   in.Name,
		EngineVersion:        FullEngineVersion(in.Engine, in.EngineVersion),
		NodeType:             p.NodeType,
		NumNodes:             p.MemcachedNodes(),
		Port:                 in.Network.Port,
		TransitEncryption:    true,
		MaintenanceWindow:    p.MaintenanceWindow,
		NotificationTopicARN: in.NotificationTopicARN,
		ApplyImmediately:     p.ApplyImmediately,
		Tags:                 in.Tags,
		Placement:            placementOf(in),
	}
}

func serverlessCacheSpec(in Input) CacheSpec {
	return ServerlessCacheSpec{
		Name:               in.Name,
		Description:        fmt.Sprintf("ElastiCache stack %s", in.Name),
		Engine:             in.Engine,
		MajorEngineVersion: MajorEngineVersion(in.Engine, in.EngineVersion),
		SubnetIDs:          sortedCopy(in.Network.SubnetIDs),
		Serverless:         in.Serverless,
		KMSKeyARN:          in.Security.KMSKeyARN,
		UserGroupID:        in.EffectiveUserGroupID(),
		Tags:               in.Tags,
		Restore:            in.RestoreFrom,
		Placement:          placementOf(in),
	}
}

// IngressRules lists the security group's ingress rules, sorted so that plans are stable.
func IngressRules(n Network) []IngressRule {
	var rules []IngressRule
	for _, sg := range sortedCopy(n.AllowedSecurityGroupIDs) {
		rules = append(rules, IngressRule{Port: n.Port, SourceSecurityGroupID: sg})
	}
	for _, cidr := range sortedCopy(n.AllowedCIDRBlocks) {
		rules = append(rules, IngressRule{Port: n.Port, CIDR: cidr})
	}
	return rules
}

// MemberClusterIDs names the cache clusters AWS creates for a replication group: "<id>-001"...
// without cluster mode, "<id>-0001-001"... (shard, then node) with it.
func MemberClusterIDs(id string, shards, replicasPerShard int, clusterMode bool) []string {
	var out []string
	nodes := 1 + replicasPerShard
	if !clusterMode {
		for n := 1; n <= nodes; n++ {
			out = append(out, fmt.Sprintf("%s-%03d", id, n))
		}
		return out
	}
	for s := 1; s <= shards; s++ {
		for n := 1; n <= nodes; n++ {
			out = append(out, fmt.Sprintf("%s-%04d-%03d", id, s, n))
		}
	}
	return out
}

func sortedCopy(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}

func parameterGroupDescription(in Input) string {
	if in.Shape() == ShapeMemcachedCluster {
		return fmt.Sprintf("ElastiCache stack %s", in.Name)
	}
	return fmt.Sprintf("ElastiCache stack %s (eviction %s)", in.Name, in.Provisioned.EvictionPolicy)
}
