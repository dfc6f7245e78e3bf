package blueprint

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
)

// Problem is one reason a configuration cannot be planned. Attribute is the attribute path in
// the resource schema ("provisioned.replicas_per_shard"), so the resource can point at it.
type Problem struct {
	Attribute Attr
	Summary   string
	Detail    string
}

func (p Problem) Error() string { return p.Attribute.String() + ": " + p.Summary + ": " + p.Detail }

var (
	namePattern          = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	subnetIDPattern      = regexp.MustCompile(`^subnet-[0-9a-z]+$`)
	securityGroupPattern = regexp.MustCompile(`^sg-[0-9a-z]+$`)
	kmsARNPattern        = regexp.MustCompile(`^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/.+$`)
	snsARNPattern        = regexp.MustCompile(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$`)
	snapshotNamePattern  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)
)

// MaxNameLength is the longest stack name: replication group ids allow 40 characters.
const MaxNameLength = 40

// ManagedParameters are engine parameters the stack sets itself; users set them through the
// named attribute instead, so the two can never disagree.
var ManagedParameters = map[string]string{
	ParameterNameEviction:       AttrProvisionedEvictionPolicy.String(),
	ParameterNameClusterEnabled: "provisioned.shards (more than one shard turns cluster mode on)",
}

// Validate checks a configuration for everything that can be known without AWS. It returns
// every problem at once so that a user fixes them in one round.
func Validate(in Input) []Problem {
	var ps []Problem
	add := func(attr Attr, summary, format string, args ...any) {
		ps = append(ps, Problem{Attribute: attr, Summary: summary, Detail: fmt.Sprintf(format, args...)})
	}

	if in.Known(AttrName) {
		if msg := checkName(in.Name); msg != "" {
			add(AttrName, "Invalid stack name", "%s", msg)
		}
	}
	if in.Known(AttrEngine) && in.Known(AttrEngineVersion) && in.EngineVersion != "" {
		if !contains(knownEngineVersions[in.Engine], in.EngineVersion) {
			add(AttrEngineVersion, "Unsupported engine version",
				"engine %q does not offer version %q; valid choices: %s.", in.Engine, in.EngineVersion, strings.Join(knownEngineVersions[in.Engine], ", "))
		}
	}

	ps = append(ps, validateNetwork(in.Network, in.Unknown)...)
	if in.Known(AttrMode) && in.Known(AttrEngine) {
		ps = append(ps, validateRestoreFrom(in)...)
		switch in.Shape() {
		case ShapeReplicationGroup:
			ps = append(ps, validateProvisioned(in)...)
			ps = append(ps, validateAutoscaling(in)...)
			ps = append(ps, rejectSet(in, AttrServerless, "The serverless block applies to mode = \"serverless\"; this stack is provisioned. Remove it or set mode = \"serverless\".")...)
			ps = append(ps, rejectSet(in, AttrProvisionedNumNodes, "num_nodes sizes Memcached clusters; Valkey and Redis are sized by shards and replicas_per_shard.")...)
		case ShapeMemcachedCluster:
			ps = append(ps, validateProvisioned(in)...)
			ps = append(ps, validateMemcached(in)...)
			ps = append(ps, validateAutoscaling(in)...)
		case ShapeServerless:
			ps = append(ps, validateServerless(in)...)
		}
		ps = append(ps, validatePlacement(in)...)
	}
	ps = append(ps, validateSecurity(in.Security, in.Unknown)...)
	ps = append(ps, validateUsers(in)...)
	ps = append(ps, validateLogs(in)...)
	ps = append(ps, ValidateGlobal(in, in.Set)...)
	if in.Known(AttrAlarmsOverrides) {
		ps = append(ps, ValidateAlarmSettings(in.Alarms)...)
	}

	if in.Known(AttrNotificationTopicARN) && in.NotificationTopicARN != "" && !snsARNPattern.MatchString(in.NotificationTopicARN) {
		add(AttrNotificationTopicARN, "Invalid SNS topic ARN", "%q is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>).", in.NotificationTopicARN)
	}
	if len(in.Tags) > 50 {
		add(AttrTags, "Too many tags", "ElastiCache accepts at most 50 tags per resource, including provider default_tags; got %d.", len(in.Tags))
	}
	for k := range in.Tags {
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			add(AttrTags, "Reserved tag key", "tag key %q uses the reserved prefix \"aws:\".", k)
		}
	}
	return ps
}

func checkName(name string) string {
	switch {
	case name == "":
		return "name must not be empty."
	case len(name) > MaxNameLength:
		return fmt.Sprintf("%q has %d characters; at most %d are allowed (it becomes the replication group id).", name, len(name), MaxNameLength)
	case !namePattern.MatchString(name):
		return fmt.Sprintf("%q must start with a lowercase letter and contain only lowercase letters, digits and hyphens.", name)
	case strings.HasSuffix(name, "-") || strings.Contains(name, "--"):
		return fmt.Sprintf("%q must not end with a hyphen or contain two consecutive hyphens.", name)
	}
	return ""
}

func validateNetwork(n Network, unknown map[Attr]bool) []Problem {
	var ps []Problem
	if !unknown[AttrNetworkSubnetIDs] {
		for _, id := range n.SubnetIDs {
			if !subnetIDPattern.MatchString(id) {
				ps = append(ps, Problem{AttrNetworkSubnetIDs, "Invalid subnet ID", fmt.Sprintf("%q is not a subnet ID (subnet-...).", id)})
			}
		}
	}
	if !unknown[AttrNetworkAllowedSecurityGroupIDs] {
		for _, id := range n.AllowedSecurityGroupIDs {
			if !securityGroupPattern.MatchString(id) {
				ps = append(ps, Problem{AttrNetworkAllowedSecurityGroupIDs, "Invalid security group ID", fmt.Sprintf("%q is not a security group ID (sg-...).", id)})
			}
		}
	}
	if !unknown[AttrNetworkAllowedCIDRBlocks] {
		for _, c := range n.AllowedCIDRBlocks {
			prefix, err := netip.ParsePrefix(c)
			switch {
			case err != nil:
				ps = append(ps, Problem{AttrNetworkAllowedCIDRBlocks, "Invalid CIDR block", fmt.Sprintf("%q is not a CIDR block such as 10.0.0.0/16.", c)})
			case prefix.Bits() == 0:
				ps = append(ps, Problem{AttrNetworkAllowedCIDRBlocks, "CIDR block open to the world",
					fmt.Sprintf("%q admits every address; a cache must only be reachable from the application's network. Use allowed_security_group_ids or a private range such as 10.0.0.0/16.", c)})
			case prefix.Masked() != prefix:
				ps = append(ps, Problem{AttrNetworkAllowedCIDRBlocks, "CIDR block has host bits set", fmt.Sprintf("%q has host bits set; did you mean %q?", c, prefix.Masked().String())})
			}
		}
	}
	return ps
}

func validateProvisioned(in Input) []Problem {
	var ps []Problem
	p := in.Provisioned
	u := in.Unknown
	if !u[AttrProvisionedNodeType] && p.NodeType != "" {
		if _, ok := LookupNodeType(p.NodeType); !ok {
			ps = append(ps, Problem{AttrProvisionedNodeType, "Unknown node type",
				fmt.Sprintf("%q is not an ElastiCache node type this provider knows. Use cache.<family>.<size> with a family among: %s (for example cache.r7g.large).",
					p.NodeType, strings.Join(NodeTypeFamilies(), ", "))})
		}
	}
	replication := in.Shape() == ShapeReplicationGroup
	if replication && !u[AttrProvisionedMultiAZ] && !u[AttrProvisionedReplicasPerShard] && p.MultiAZ && p.ReplicasPerShard < 1 {
		ps = append(ps, Problem{AttrProvisionedMultiAZ, "Multi-AZ needs a replica",
			"multi_az = true needs replicas_per_shard >= 1: failover promotes a replica in another Availability Zone. Set replicas_per_shard to 1 or more, or multi_az = false."})
	}
	if replication && !u[AttrProvisionedShards] && !u[AttrProvisionedReplicasPerShard] && p.NodeCount() > 500 {
		ps = append(ps, Problem{AttrProvisionedShards, "Too many nodes",
			fmt.Sprintf("%d shards x %d nodes = %d nodes; a replication group holds at most 500.", p.Shards, p.NodesPerShard(), p.NodeCount())})
	}
	if replication && !u[AttrProvisionedMultiAZ] && !u[AttrNetworkSubnetIDs] && p.MultiAZ && len(in.Network.SubnetIDs) < 2 {
		ps = append(ps, Problem{AttrNetworkSubnetIDs, "Multi-AZ needs subnets in two Availability Zones",
			"multi_az = true places replicas in other Availability Zones; give at least two subnet_ids in different AZs, or set multi_az = false."})
	}
	if !u[AttrProvisionedParameters] {
		for name := range p.Parameters {
			if attr, managed := ManagedParameters[name]; managed {
				ps = append(ps, Problem{AttrProvisionedParameters, "Parameter managed by the stack",
					fmt.Sprintf("%q is set by the stack from %s; set that attribute instead.", name, attr)})
			}
		}
	}
	var snap, maint interval
	var snapErr, maintErr error
	if replication && !u[AttrProvisionedSnapshotWindow] && p.SnapshotWindow != "" {
		if snap, snapErr = parseDailyWindow(p.SnapshotWindow); snapErr != nil {
			ps = append(ps, Problem{AttrProvisionedSnapshotWindow, "Invalid snapshot window", snapErr.Error()})
		}
	}
	if !u[AttrProvisionedMaintenanceWindow] && p.MaintenanceWindow != "" {
		if maint, maintErr = parseWeeklyWindow(p.MaintenanceWindow); maintErr != nil {
			ps = append(ps, Problem{AttrProvisionedMaintenanceWindow, "Invalid maintenance window", maintErr.Error()})
		}
	}
	if replication && !u[AttrProvisionedSnapshotWindow] && !u[AttrProvisionedMaintenanceWindow] && p.SnapshotWindow != "" && p.MaintenanceWindow != "" &&
		snapErr == nil && maintErr == nil && p.SnapshotRetentionDays > 0 && windowsOverlap(snap, maint) {
		ps = append(ps, Problem{AttrProvisionedSnapshotWindow, "Snapshot and maintenance windows overlap",
			fmt.Sprintf("snapshot_window %q overlaps maintenance_window %q; AWS requires them to be apart. Move one of them.", p.SnapshotWindow, p.MaintenanceWindow)})
	}
	if !u[AttrProvisionedFinalSnapshotName] && p.FinalSnapshotName != "" && !snapshotNamePattern.MatchString(p.FinalSnapshotName) {
		ps = append(ps, Problem{AttrProvisionedFinalSnapshotName, "Invalid snapshot name",
			fmt.Sprintf("%q must start with a letter and contain only letters, digits and hyphens.", p.FinalSnapshotName)})
	}
	return ps
}

func validateSecurity(s Security, u map[Attr]bool) []Problem {
	var ps []Problem
	if !u[AttrSecurityUserGroupID] && s.AuthTokenConfigured && s.UserGroupID != "" {
		ps = append(ps, Problem{AttrSecurityAuthTokenWO, "AUTH token and RBAC together",
			"set either auth_token_wo (a single shared AUTH token) or user_group_id (RBAC users and ACLs), not both."})
	}
	if !u[AttrSecurityKMSKeyARN] && s.KMSKeyARN != "" && !kmsARNPattern.MatchString(s.KMSKeyARN) {
		ps = append(ps, Problem{AttrSecurityKMSKeyARN, "Invalid KMS key ARN",
			fmt.Sprintf("%q is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>).", s.KMSKeyARN)})
	}
	return ps
}

// ValidateAuthToken checks an AUTH token against the rules AWS applies. Its messages never
// contain the token.
func ValidateAuthToken(token string) *Problem {
	const attr = AttrSecurityAuthTokenWO
	switch {
	case len(token) < 16 || len(token) > 128:
		return &Problem{attr, "Invalid AUTH token", fmt.Sprintf("the token has %d characters; AWS requires 16 to 128.", len(token))}
	case strings.IndexFunc(token, isRefusedTokenSymbol) >= 0:
		return &Problem{attr, "Invalid AUTH token", "the token may contain only letters, digits and the special characters ! & # $ ^ < > - (no spaces, '@', '\"', '/' or other symbols)."}
	}
	for _, r := range token {
		if r < 0x21 || r > 0x7e {
			return &Problem{attr, "Invalid AUTH token", "the token may contain only printable ASCII characters."}
		}
	}
	if isWeakToken(token) {
		return &Problem{attr, "Weak AUTH token", "the token repeats a single character or a short pattern; use a random value, for example random_password with override_special = \"!&#$^<>-\", or Secrets Manager."}
	}
	return nil
}

// authTokenSymbols are the only non-alphanumeric characters AWS accepts in an AUTH token
// (CreateReplicationGroup AuthToken password constraints); others fail with "Invalid AuthToken provided".
const authTokenSymbols = "!&#$^<>-"

// isRefusedTokenSymbol reports a space or printable ASCII symbol AWS refuses in an AUTH token.
// Control and non-ASCII characters are left to the printable-ASCII check.
func isRefusedTokenSymbol(r rune) bool {
	if r < 0x20 || r > 0x7e || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
		return false
	}
	return !strings.ContainsRune(authTokenSymbols, r)
}

// isWeakToken catches tokens that are one short pattern repeated ("aaaa...", "abcabc...").
func isWeakToken(t string) bool {
	for period := 1; period <= 4; period++ {
		if strings.Repeat(t[:period], len(t)/period+1)[:len(t)] == t {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// rejectSet reports an attribute that the configuration sets although the stack's shape has no
// use for it.
func rejectSet(in Input, attr Attr, why string) []Problem {
	if !in.Set[attr] {
		return nil
	}
	return []Problem{{attr, "Attribute does not apply to this stack", why}}
}

// memcachedLacks lists what Memcached does not have, with the reason shown to the user.
var memcachedLacks = []struct {
	attr Attr
	what string
}{
	{AttrProvisionedShards, "sharding by the service (clients spread keys over nodes themselves; size with num_nodes)"},
	{AttrProvisionedReplicasPerShard, "replication"},
	{AttrProvisionedMultiAZ, "replication or failover (nodes are spread over the subnets' zones instead)"},
	{AttrProvisionedEvictionPolicy, "configurable eviction (it always evicts least recently used items)"},
	{AttrProvisionedSnapshotRetentionDays, "snapshots"},
	{AttrProvisionedSnapshotWindow, "snapshots"},
	{AttrProvisionedFinalSnapshotName, "snapshots"},
	{AttrSecurityAuthTokenWO, "AUTH"},
	{AttrSecurityAuthTokenWOVersion, "AUTH"},
	{AttrSecurityUserGroupID, "RBAC users"},
}

func validateMemcached(in Input) []Problem {
	var ps []Problem
	for _, l := range memcachedLacks {
		ps = append(ps, rejectSet(in, l.attr, fmt.Sprintf("Memcached has no %s. Use engine = \"valkey\" for a cache that needs it.", l.what))...)
	}
	if in.Set[AttrProvisionedNumNodes] && !in.Unknown[AttrProvisionedNumNodes] && (in.Provisioned.NumNodes < 1 || in.Provisioned.NumNodes > 40) {
		ps = append(ps, Problem{AttrProvisionedNumNodes, "Invalid node count", fmt.Sprintf("a Memcached cluster has 1 to 40 nodes; got %d.", in.Provisioned.NumNodes)})
	}
	ps = append(ps, rejectSet(in, AttrServerless, "The serverless block applies to mode = \"serverless\"; this stack is provisioned. Remove it or set mode = \"serverless\".")...)
	return ps
}

// Serverless usage-limit ranges AWS accepts.
const (
	MinServerlessDataGB = 1
	MaxServerlessDataGB = 5000
	MinServerlessECPU   = 1000
	MaxServerlessECPU   = 15000000
)

// usageLimit is one of the serverless usage settings: a maximum or a minimum of one dimension,
// with the range AWS accepts for it.
type usageLimit struct {
	attr   Attr
	value  int64
	lo, hi int64
}

// validateUsageLimits checks each limit's range (0 = unset) and that a dimension's minimum does
// not exceed its maximum. AWS: CacheUsageLimits DataStorage 1-5,000 GB and ECPUPerSecond
// 1,000-15,000,000 for both Minimum and Maximum, and "Minimum must not exceed Maximum"
// (InvalidParameterValue / InvalidParameterCombination otherwise).
func validateUsageLimits(s Serverless, u map[Attr]bool) []Problem {
	var ps []Problem
	dimensions := [][2]usageLimit{
		{{AttrServerlessMinDataStorageGB, s.MinDataStorageGB, MinServerlessDataGB, MaxServerlessDataGB}, {AttrServerlessMaxDataStorageGB, s.MaxDataStorageGB, MinServerlessDataGB, MaxServerlessDataGB}},
		{{AttrServerlessMinECPUPerSecond, s.MinECPUPerSecond, MinServerlessECPU, MaxServerlessECPU}, {AttrServerlessMaxECPUPerSecond, s.MaxECPUPerSecond, MinServerlessECPU, MaxServerlessECPU}},
	}
	for _, d := range dimensions {
		for _, l := range d {
			if !u[l.attr] && l.value != 0 && (l.value < l.lo || l.value > l.hi) {
				ps = append(ps, Problem{l.attr, "Usage limit out of range",
					fmt.Sprintf("%s must be %s to %s (or omitted for none); got %s.", leaf(l.attr), thousands(l.lo), thousands(l.hi), thousands(l.value))})
			}
		}
		minimum, maximum := d[0], d[1]
		if !u[minimum.attr] && !u[maximum.attr] && minimum.value != 0 && maximum.value != 0 && minimum.value > maximum.value {
			ps = append(ps, Problem{minimum.attr, "Minimum above maximum",
				fmt.Sprintf("%s (%s) must not exceed %s (%s): AWS keeps the cache between the two.", leaf(minimum.attr), thousands(minimum.value), leaf(maximum.attr), thousands(maximum.value))})
		}
	}
	return ps
}

// leaf is the last name of a dotted attribute path ("max_ecpu_per_second").
func leaf(a Attr) string { return a.String()[strings.LastIndex(a.String(), ".")+1:] }

// thousands renders 15000000 as "15,000,000".
func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

var snapshotTimePattern = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)

func validateServerless(in Input) []Problem {
	var ps []Problem
	s, u := in.Serverless, in.Unknown
	ps = append(ps, rejectSet(in, AttrProvisioned, "The provisioned block applies to mode = \"provisioned\"; a serverless cache scales by itself. Use the serverless block for its limits.")...)
	ps = append(ps, validateUsageLimits(s, u)...)
	if !u[AttrServerlessDailySnapshotTime] && s.DailySnapshotTime != "" && !snapshotTimePattern.MatchString(s.DailySnapshotTime) {
		ps = append(ps, Problem{AttrServerlessDailySnapshotTime, "Invalid snapshot time", fmt.Sprintf("%q is not of the form hh24:mi (UTC), for example 04:00.", s.DailySnapshotTime)})
	}
	if in.Engine == EngineMemcached {
		for _, attr := range []Attr{AttrServerlessDailySnapshotTime, AttrServerlessSnapshotRetentionDays} {
			ps = append(ps, rejectSet(in, attr, "serverless Memcached has no snapshots. Use engine = \"valkey\" for a cache that needs them.")...)
		}
		for _, attr := range []Attr{AttrSecurityUserGroupID, AttrSecurityAuthTokenWO} {
			ps = append(ps, rejectSet(in, attr, "serverless Memcached has no AUTH or RBAC. Use engine = \"valkey\" for a cache that needs them.")...)
		}
	} else {
		ps = append(ps, rejectSet(in, AttrSecurityAuthTokenWO, "serverless caches authenticate with RBAC only: create a user group and set security.user_group_id.")...)
	}
	if !u[AttrServerlessFinalSnapshotName] && s.FinalSnapshotName != "" && !snapshotNamePattern.MatchString(s.FinalSnapshotName) {
		ps = append(ps, Problem{AttrServerlessFinalSnapshotName, "Invalid snapshot name",
			fmt.Sprintf("%q must start with a letter and contain only letters, digits and hyphens.", s.FinalSnapshotName)})
	}
	if !u[AttrServerlessSnapshotRetentionDays] && (s.SnapshotRetentionDays < 0 || s.SnapshotRetentionDays > 35) {
		ps = append(ps, Problem{AttrServerlessSnapshotRetentionDays, "Retention out of range", fmt.Sprintf("snapshot_retention_days must be 0 to 35; got %d.", s.SnapshotRetentionDays)})
	}
	return ps
}
