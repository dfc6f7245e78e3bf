package blueprint

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestBuildComponents(t *testing.T) {
	in := validInput()
	in.Network.AllowedCIDRBlocks = []string{"10.1.0.0/16"}
	in.Provisioned.Parameters = map[string]string{"notify-keyspace-events": "Ex"}
	in.Provisioned.FinalSnapshotName = "agent-sessions-final"
	in.Provisioned.ApplyImmediately = true
	in.Security.KMSKeyARN = "arn:aws:kms:eu-west-1:123456789012:key/abc"
	in.Security.AuthTokenConfigured = true
	in.NotificationTopicARN = "arn:aws:sns:eu-west-1:123456789012:cache-events"

	s, err := Build(in)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if s.Name != "agent-sessions" {
		t.Errorf("Name = %q", s.Name)
	}

	sg := s.SecurityGroup
	if sg.Name != "elasticache-agent-sessions" || sg.Name != SecurityGroupName("agent-sessions") {
		t.Errorf("SecurityGroup.Name = %q", sg.Name)
	}
	if !strings.Contains(sg.Description, "agent-sessions") {
		t.Errorf("SecurityGroup.Description = %q, want it to name the stack", sg.Description)
	}
	wantIngress := []IngressRule{
		{Port: 6379, SourceSecurityGroupID: "sg-0123456789abcdef0"},
		{Port: 6379, CIDR: "10.1.0.0/16"},
	}
	if !reflect.DeepEqual(sg.Ingress, wantIngress) {
		t.Errorf("Ingress = %+v, want %+v", sg.Ingress, wantIngress)
	}

	sn := s.SubnetGroup
	if sn.Name != "agent-sessions" || !strings.Contains(sn.Description, "agent-sessions") {
		t.Errorf("SubnetGroup = %+v", sn)
	}
	if want := []string{"subnet-0a1b2c3d", "subnet-0b4e5f6a", "subnet-0c1d2e3f"}; !slices.Equal(sn.SubnetIDs, want) {
		t.Errorf("SubnetGroup.SubnetIDs = %v, want sorted %v", sn.SubnetIDs, want)
	}
	if in.Network.SubnetIDs[0] != "subnet-0c1d2e3f" {
		t.Errorf("Build reordered the input's subnet ids: %v", in.Network.SubnetIDs)
	}

	pg := s.ParameterGroup
	if pg.Name != "agent-sessions" || pg.Family != "valkey8" {
		t.Errorf("ParameterGroup name/family = %q/%q", pg.Name, pg.Family)
	}
	if !strings.Contains(pg.Description, "volatile-lru") {
		t.Errorf("ParameterGroup.Description = %q, want it to name the eviction policy", pg.Description)
	}
	if want := map[string]string{"notify-keyspace-events": "Ex", "maxmemory-policy": "volatile-lru"}; !maps.Equal(pg.Parameters, want) {
		t.Errorf("Parameters = %v, want %v", pg.Parameters, want)
	}

	rg := replicationGroupOf(t, s)
	want := ReplicationGroupSpec{
		ID:                    "agent-sessions",
		Description:           rg.Description,
		Engine:                "valkey",
		EngineVersion:         "8.0",
		NodeType:              "cache.r7g.large",
		Port:                  6379,
		Shards:                1,
		ReplicasPerShard:      2,
		ClusterMode:           false,
		AutomaticFailover:     true,
		MultiAZ:               true,
		TransitEncryptionMode: "required",
		KMSKeyARN:             "arn:aws:kms:eu-west-1:123456789012:key/abc",
		SnapshotRetentionDays: 1,
		SnapshotWindow:        "03:00-04:00",
		MaintenanceWindow:     "sun:05:00-sun:06:00",
		NotificationTopicARN:  "arn:aws:sns:eu-west-1:123456789012:cache-events",
		UserGroupID:           "",
		AuthTokenConfigured:   true,
		ApplyImmediately:      true,
		FinalSnapshotName:     "agent-sessions-final",
		MemberClusters:        []string{"agent-sessions-001", "agent-sessions-002", "agent-sessions-003"},
		Tags:                  in.Tags,
		Placement:             Placement{NetworkType: NetworkTypeIPv4, IPDiscovery: NetworkTypeIPv4},
	}
	if !reflect.DeepEqual(rg, want) {
		t.Errorf("ReplicationGroup =\n%+v\nwant\n%+v", rg, want)
	}
	if !strings.Contains(rg.Description, "agent-sessions") {
		t.Errorf("ReplicationGroup.Description = %q", rg.Description)
	}
	for name, tags := range map[string]map[string]string{
		"security group": sg.Tags, "subnet group": sn.Tags, "parameter group": pg.Tags, "replication group": rg.Tags,
	} {
		if !maps.Equal(tags, in.Tags) {
			t.Errorf("%s tags = %v, want %v", name, tags, in.Tags)
		}
	}
}

func TestBuildParametersDoNotMutateInput(t *testing.T) {
	in := validInput()
	in.Provisioned.Parameters = map[string]string{"timeout": "300"}
	s, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"timeout": "300"}; !maps.Equal(in.Provisioned.Parameters, want) {
		t.Fatalf("Build mutated the input parameters: %v", in.Provisioned.Parameters)
	}
	s.ParameterGroup.Parameters["timeout"] = "0"
	if in.Provisioned.Parameters["timeout"] != "300" {
		t.Fatal("the stack's parameters alias the input map")
	}
}

func TestBuildParametersWithoutUserParameters(t *testing.T) {
	in := validInput()
	in.Provisioned.Parameters = nil
	in.Provisioned.EvictionPolicy = "allkeys-lfu"
	s, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"maxmemory-policy": "allkeys-lfu"}; !maps.Equal(s.ParameterGroup.Parameters, want) {
		t.Errorf("Parameters = %v, want %v", s.ParameterGroup.Parameters, want)
	}
}

func TestBuildFamily(t *testing.T) {
	tests := []struct{ engine, version, family string }{
		{EngineValkey, "7.2", "valkey7"},
		{EngineValkey, "8.0", "valkey8"},
		{EngineValkey, "8.1", "valkey8"},
		{EngineRedis, "7.1", "redis7"},
		{EngineRedis, "7.0", "redis7"},
		{EngineRedis, "6.2", "redis6.x"},
		{EngineRedis, "6.0", "redis6.x"},
	}
	for _, tt := range tests {
		t.Run(tt.engine+" "+tt.version, func(t *testing.T) {
			in := validInput()
			in.Engine, in.EngineVersion = tt.engine, tt.version
			s, err := Build(in)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			if s.ParameterGroup.Family != tt.family {
				t.Errorf("Family = %q, want %q", s.ParameterGroup.Family, tt.family)
			}
			if rg := replicationGroupOf(t, s); rg.Engine != tt.engine || rg.EngineVersion != tt.version {
				t.Errorf("ReplicationGroup engine = %s %s", rg.Engine, rg.EngineVersion)
			}
		})
	}
}

func TestBuildErrorWithoutFamily(t *testing.T) {
	tests := []struct{ engine, version string }{
		{EngineValkey, "6.2"},
		{EngineRedis, "5.0.6"},
		{EngineRedis, "8.0"},
		{"memcached", "2.0"},
		{EngineValkey, ""},
		{EngineValkey, "eight"},
	}
	for _, tt := range tests {
		t.Run(tt.engine+" "+tt.version, func(t *testing.T) {
			in := validInput()
			in.Engine, in.EngineVersion = tt.engine, tt.version
			s, err := Build(in)
			if err == nil {
				t.Fatalf("want an error, got %+v", s)
			}
			if !reflect.DeepEqual(s, Stack{}) {
				t.Errorf("want a zero Stack with the error, got %+v", s)
			}
		})
	}
}

func TestBuildTopology(t *testing.T) {
	tests := []struct {
		shards, replicas  int
		clusterMode       bool
		automaticFailover bool
		members           []string
	}{
		{1, 0, false, false, []string{"c-001"}},
		{1, 1, false, true, []string{"c-001", "c-002"}},
		{1, 2, false, true, []string{"c-001", "c-002", "c-003"}},
		{2, 0, true, true, []string{"c-0001-001", "c-0002-001"}}, // AWS requires failover in cluster mode
		{2, 1, true, true, []string{"c-0001-001", "c-0001-002", "c-0002-001", "c-0002-002"}},
		{3, 2, true, true, []string{
			"c-0001-001", "c-0001-002", "c-0001-003",
			"c-0002-001", "c-0002-002", "c-0002-003",
			"c-0003-001", "c-0003-002", "c-0003-003",
		}},
	}
	for _, tt := range tests {
		in := validInput()
		in.Name = "c"
		in.Provisioned.Shards, in.Provisioned.ReplicasPerShard = tt.shards, tt.replicas
		s, err := Build(in)
		if err != nil {
			t.Fatal(err)
		}
		rg := replicationGroupOf(t, s)
		if rg.ClusterMode != tt.clusterMode || rg.AutomaticFailover != tt.automaticFailover {
			t.Errorf("%d shards %d replicas: cluster mode %v failover %v, want %v %v",
				tt.shards, tt.replicas, rg.ClusterMode, rg.AutomaticFailover, tt.clusterMode, tt.automaticFailover)
		}
		if rg.Shards != tt.shards || rg.ReplicasPerShard != tt.replicas {
			t.Errorf("shards/replicas = %d/%d", rg.Shards, rg.ReplicasPerShard)
		}
		if !slices.Equal(rg.MemberClusters, tt.members) {
			t.Errorf("%d shards %d replicas: members %v, want %v", tt.shards, tt.replicas, rg.MemberClusters, tt.members)
		}
		if len(rg.MemberClusters) != in.Provisioned.NodeCount() {
			t.Errorf("%d member clusters for %d nodes", len(rg.MemberClusters), in.Provisioned.NodeCount())
		}
	}
}

func TestMemberClusterIDs(t *testing.T) {
	tests := []struct {
		name        string
		id          string
		shards      int
		replicas    int
		clusterMode bool
		want        []string
	}{
		{"non-cluster 1 shard 2 replicas", "agent-sessions", 1, 2, false,
			[]string{"agent-sessions-001", "agent-sessions-002", "agent-sessions-003"}},
		{"cluster 2 shards 1 replica", "agent-sessions", 2, 1, true,
			[]string{"agent-sessions-0001-001", "agent-sessions-0001-002", "agent-sessions-0002-001", "agent-sessions-0002-002"}},
		{"cluster mode with one shard uses shard numbering", "x", 1, 0, true, []string{"x-0001-001"}},
		{"non-cluster ignores shard count", "x", 3, 0, false, []string{"x-001"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MemberClusterIDs(tt.id, tt.shards, tt.replicas, tt.clusterMode); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestIngressRules(t *testing.T) {
	n := Network{
		AllowedSecurityGroupIDs: []string{"sg-0bbb", "sg-0aaa"},
		AllowedCIDRBlocks:       []string{"192.168.0.0/16", "10.0.0.0/8", "172.16.0.0/12"},
		Port:                    6380,
	}
	rules := IngressRules(n)
	var got []string
	for _, r := range rules {
		if r.Port != 6380 {
			t.Errorf("rule %+v: port %d, want 6380", r, r.Port)
		}
		got = append(got, r.String())
	}
	want := []string{
		"ingress tcp/6380 from sg-0aaa",
		"ingress tcp/6380 from sg-0bbb",
		"ingress tcp/6380 from 10.0.0.0/8",
		"ingress tcp/6380 from 172.16.0.0/12",
		"ingress tcp/6380 from 192.168.0.0/16",
	}
	if !slices.Equal(got, want) {
		t.Errorf("rules =\n%v\nwant\n%v", got, want)
	}
	if n.AllowedSecurityGroupIDs[0] != "sg-0bbb" || n.AllowedCIDRBlocks[0] != "192.168.0.0/16" {
		t.Errorf("IngressRules reordered its input: %v %v", n.AllowedSecurityGroupIDs, n.AllowedCIDRBlocks)
	}
	if r := IngressRules(Network{Port: 6379}); len(r) != 0 {
		t.Errorf("no sources: want no rules, got %v", r)
	}
}

func TestIngressRuleString(t *testing.T) {
	tests := []struct {
		rule IngressRule
		want string
	}{
		{IngressRule{Port: 6379, SourceSecurityGroupID: "sg-1"}, "ingress tcp/6379 from sg-1"},
		{IngressRule{Port: 6379, CIDR: "10.0.0.0/8"}, "ingress tcp/6379 from 10.0.0.0/8"},
		{IngressRule{Port: 7000, SourceSecurityGroupID: "sg-1", CIDR: "10.0.0.0/8"}, "ingress tcp/7000 from sg-1"},
	}
	for _, tt := range tests {
		if got := tt.rule.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.rule, got, tt.want)
		}
	}
}

func TestInputHelpers(t *testing.T) {
	in := validInput()
	if !in.Known("name") {
		t.Error("Known(name) with a nil Unknown map: want true")
	}
	in.Unknown = map[Attr]bool{"provisioned.shards": true, "name": false}
	if in.Known("provisioned.shards") || !in.Known("name") || !in.Known("engine") {
		t.Error("Known does not follow the Unknown map")
	}
	tests := []struct{ shards, replicas, perShard, total int }{
		{1, 0, 1, 1}, {1, 2, 3, 3}, {2, 1, 2, 4}, {3, 5, 6, 18},
	}
	for _, tt := range tests {
		p := Provisioned{Shards: tt.shards, ReplicasPerShard: tt.replicas}
		if p.NodesPerShard() != tt.perShard || p.NodeCount() != tt.total {
			t.Errorf("%d shards %d replicas: %d per shard, %d total; want %d, %d",
				tt.shards, tt.replicas, p.NodesPerShard(), p.NodeCount(), tt.perShard, tt.total)
		}
	}
}

// replicationGroupOf is the stack's replication group spec; the test fails when Build chose
// another kind.
func replicationGroupOf(t *testing.T, s Stack) ReplicationGroupSpec {
	t.Helper()
	rg, ok := s.Cache.(ReplicationGroupSpec)
	if !ok {
		t.Fatalf("Build returned a %T, want a ReplicationGroupSpec", s.Cache)
	}
	return rg
}
