package blueprint

import (
	"strings"
	"testing"
)

func TestNextParameterGroupName(t *testing.T) {
	base := validInput() // valkey 8.0, 1 shard
	cases := []struct {
		name   string
		change func(had, want *Input)
		want   string
	}{
		{"nothing changes", func(had, want *Input) {}, "agent-sessions"},
		{"minor upgrade keeps the group", func(had, want *Input) { had.EngineVersion, want.EngineVersion = "8.0", "8.1" }, "agent-sessions"},
		{"valkey 7 -> 8", func(had, want *Input) { had.EngineVersion = "7.2" }, "agent-sessions-valkey8"},
		{"redis 6 -> 7", func(had, want *Input) {
			had.Engine, had.EngineVersion, want.Engine, want.EngineVersion = EngineRedis, "6.2", EngineRedis, "7.1"
		}, "agent-sessions-redis7"},
		{"redis -> valkey", func(had, want *Input) { had.Engine, had.EngineVersion = EngineRedis, "7.1" }, "agent-sessions-valkey8"},
		{"after an upgrade the group stays", func(had, want *Input) { had.ParameterGroupName = "agent-sessions-valkey8" }, "agent-sessions-valkey8"},
		{"to cluster mode", func(had, want *Input) { want.Provisioned.Shards = 3 }, "agent-sessions-cluster"},
		{"cluster mode, then a major upgrade", func(had, want *Input) {
			had.ClusterModeEnabled, had.EngineVersion, had.ParameterGroupName = true, "7.2", "agent-sessions-cluster"
			want.ClusterModeEnabled = true
		}, "agent-sessions-cluster-valkey8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			had, want := cloneInput(base), cloneInput(base)
			c.change(&had, &want)
			if got := NextParameterGroupName(had, want); got != c.want {
				t.Errorf("NextParameterGroupName = %q, want %q", got, c.want)
			}
		})
	}
	if got := FamilyParameterGroupName("x", "redis6.x"); got != "x-redis6x" {
		t.Errorf("FamilyParameterGroupName keeps the dot: %q", got)
	}
}

func TestAssessMajorUpgradeNamesTheNewGroup(t *testing.T) {
	had, want := validInput(), validInput()
	had.EngineVersion = "7.2"
	want.Provisioned.ApplyImmediately = true
	a := Assess(had, want)
	if len(a.Warnings) == 0 || !containsAll(a.Warnings[0].Detail, []string{"agent-sessions-valkey8", "family valkey8", "old group agent-sessions is deleted once"}) {
		t.Fatalf("the upgrade warning must name the new group: %+v", a.Warnings)
	}
	want.Provisioned.ApplyImmediately = false
	if a := Assess(had, want); !strings.Contains(a.Warnings[0].Detail, "maintenance window applies the upgrade") {
		t.Fatalf("a deferred upgrade keeps the old group until the window: %+v", a.Warnings)
	}
}

func TestAssessRefusesWhatAWSRejectsHalfWay(t *testing.T) {
	cases := []struct {
		name   string
		change func(had, want *Input)
		attr   Attr
		says   string
	}{
		{"AUTH token removed without RBAC", func(had, want *Input) { had.Security.AuthTokenConfigured = true }, "security.auth_token_wo", "user_group_id"},
		{"1 -> 2 shards without a replica", func(had, want *Input) {
			had.Provisioned.ReplicasPerShard, want.Provisioned.ReplicasPerShard, want.Provisioned.Shards = 0, 0, 2
		}, "provisioned.shards", "replicas_per_shard = 1"},
		{"1 -> 2 shards on Redis OSS 6", func(had, want *Input) {
			had.Engine, had.EngineVersion, want.Engine, want.EngineVersion, want.Provisioned.Shards = EngineRedis, "6.2", EngineRedis, "6.2", 2
		}, "provisioned.shards", "Redis OSS 7.0"},
		{"1 -> 2 shards with an upgrade", func(had, want *Input) { had.EngineVersion, want.Provisioned.Shards = "7.2", 2 }, "provisioned.shards", "engine change first"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			had, want := cloneInput(validInput()), cloneInput(validInput())
			c.change(&had, &want)
			a := Assess(had, want)
			if len(a.Refuse) != 1 || a.Refuse[0].Attribute != c.attr || !strings.Contains(a.Refuse[0].Detail, c.says) {
				t.Fatalf("want one refusal at %s saying %q, got %+v", c.attr, c.says, a.Refuse)
			}
		})
	}
	had, want := validInput(), validInput()
	had.Security.AuthTokenConfigured, want.Security.UserGroupID = true, "app-users"
	if a := Assess(had, want); len(a.Refuse) != 0 {
		t.Fatalf("moving from AUTH to RBAC is allowed: %+v", a.Refuse)
	}
	want = validInput()
	want.Provisioned.Shards = 2
	if a := Assess(validInput(), want); len(a.Refuse) != 0 {
		t.Fatalf("1 -> 2 shards with replicas on Valkey 8 is allowed: %+v", a.Refuse)
	}
}

func TestBuildClusterModeAlwaysFailsOverAndDataTiering(t *testing.T) {
	in := validInput()
	in.Provisioned.Shards, in.Provisioned.ReplicasPerShard, in.Provisioned.MultiAZ = 2, 0, false
	s, err := Build(in)
	if err != nil || !s.Cache.(ReplicationGroupSpec).AutomaticFailover || s.Cache.(ReplicationGroupSpec).MultiAZ {
		t.Fatalf("cluster mode without replicas: failover on, Multi-AZ off; got %+v (%v)", s.Cache, err)
	}
	in = validInput()
	in.Provisioned.NodeType = "cache.r6gd.xlarge"
	if s, _ := Build(in); !s.Cache.(ReplicationGroupSpec).DataTiering {
		t.Fatal("r6gd nodes need data tiering")
	}
	had, want := validInput(), validInput()
	want.Provisioned.NodeType = "cache.r6gd.xlarge"
	if a := Assess(had, want); !a.RequiresReplace() || a.Replace[0].Attribute != "provisioned.node_type" {
		t.Fatalf("moving into r6gd replaces the stack: %+v", a)
	}
}
