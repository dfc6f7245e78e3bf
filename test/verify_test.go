package test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/gruntwork-io/terratest/modules/terraform"
)

// stackExpectation is what a tier promises about the AWS resources it creates. Zero values
// are not checked, except where noted.
type stackExpectation struct {
	EvictionPolicy    string
	NodeType          string
	Shards            int
	ReplicasPerShard  int
	SnapshotRetention *int32
	// AlarmThresholds: alarm key (the name's last segment, e.g. "engine-cpu") -> threshold every
	// member's alarm must have.
	AlarmThresholds map[string]float64
	// HitRateAlarm: whether members carry a hit-rate alarm (always checked).
	HitRateAlarm bool
}

// observedStack is what verifyStack read from AWS, for comparisons with outputs.
type observedStack struct {
	Group           ectypes.ReplicationGroup
	Endpoint        string // configuration endpoint with cluster mode, else primary endpoint
	ReaderEndpoint  string
	Port            int32
	SecurityGroupID string
	ParameterGroup  string
	AlarmNames      []string
}

var connectionURL = regexp.MustCompile(`^rediss://[a-z0-9.-]+:[0-9]+$`)

// verifyStack checks, through the SDK, the replication group named name: TLS and encryption at
// rest, Multi-AZ with automatic failover, shape and node type, the eviction policy in its
// parameter group (DescribeCacheParameters), its security group admitting exactly the test
// application's group on the cache port, and the CloudWatch alarms of every member.
func verifyStack(t *testing.T, name string, want stackExpectation) observedStack {
	t.Helper()
	c := newClients(t)
	ctx := context.Background()
	var obs observedStack
	rg := c.replicationGroup(t, name)
	obs.Group = rg

	if aws.ToString(rg.Status) != "available" {
		t.Errorf("replication group %s is %q, want available", name, aws.ToString(rg.Status))
	}
	if !aws.ToBool(rg.TransitEncryptionEnabled) || !aws.ToBool(rg.AtRestEncryptionEnabled) {
		t.Errorf("replication group %s: TLS in transit %v, at rest %v; both must be on", name, aws.ToBool(rg.TransitEncryptionEnabled), aws.ToBool(rg.AtRestEncryptionEnabled))
	}
	if rg.MultiAZ != ectypes.MultiAZStatusEnabled || rg.AutomaticFailover != ectypes.AutomaticFailoverStatusEnabled {
		t.Errorf("replication group %s: Multi-AZ %s, automatic failover %s; both must be enabled", name, rg.MultiAZ, rg.AutomaticFailover)
	}
	if want.NodeType != "" && aws.ToString(rg.CacheNodeType) != want.NodeType {
		t.Errorf("node type %s, want %s", aws.ToString(rg.CacheNodeType), want.NodeType)
	}
	if want.Shards > 0 {
		if len(rg.NodeGroups) != want.Shards {
			t.Errorf("%d node groups, want %d", len(rg.NodeGroups), want.Shards)
		}
		if wantMembers := want.Shards * (1 + want.ReplicasPerShard); len(rg.MemberClusters) != wantMembers {
			t.Errorf("%d member clusters %v, want %d", len(rg.MemberClusters), rg.MemberClusters, wantMembers)
		}
		if clusterMode := aws.ToBool(rg.ClusterEnabled); clusterMode != (want.Shards > 1) {
			t.Errorf("cluster mode %v with %d shards", clusterMode, want.Shards)
		}
	}
	if want.SnapshotRetention != nil && aws.ToInt32(rg.SnapshotRetentionLimit) != *want.SnapshotRetention {
		t.Errorf("snapshot retention %d days, want %d", aws.ToInt32(rg.SnapshotRetentionLimit), *want.SnapshotRetention)
	}
	switch {
	case rg.ConfigurationEndpoint != nil:
		obs.Endpoint, obs.Port = aws.ToString(rg.ConfigurationEndpoint.Address), aws.ToInt32(rg.ConfigurationEndpoint.Port)
	case len(rg.NodeGroups) > 0 && rg.NodeGroups[0].PrimaryEndpoint != nil:
		obs.Endpoint, obs.Port = aws.ToString(rg.NodeGroups[0].PrimaryEndpoint.Address), aws.ToInt32(rg.NodeGroups[0].PrimaryEndpoint.Port)
		if rg.NodeGroups[0].ReaderEndpoint != nil {
			obs.ReaderEndpoint = aws.ToString(rg.NodeGroups[0].ReaderEndpoint.Address)
		}
	default:
		t.Errorf("replication group %s has no endpoint", name)
	}

	// Parameter group and security group, from a member cache cluster.
	if len(rg.MemberClusters) == 0 {
		t.Fatalf("replication group %s has no member clusters", name)
	}
	cc, err := c.ElastiCache.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(rg.MemberClusters[0])})
	if err != nil || len(cc.CacheClusters) != 1 {
		t.Fatalf("DescribeCacheClusters %s: %v", rg.MemberClusters[0], err)
	}
	member := cc.CacheClusters[0]
	if member.CacheParameterGroup == nil {
		t.Fatalf("member %s has no parameter group", rg.MemberClusters[0])
	}
	obs.ParameterGroup = aws.ToString(member.CacheParameterGroup.CacheParameterGroupName)
	if got := c.parameter(t, obs.ParameterGroup, "maxmemory-policy"); want.EvictionPolicy != "" && got != want.EvictionPolicy {
		t.Errorf("parameter group %s: maxmemory-policy %q, want %q", obs.ParameterGroup, got, want.EvictionPolicy)
	}
	if len(member.SecurityGroups) != 1 {
		t.Fatalf("member %s has security groups %v, want exactly the stack's", rg.MemberClusters[0], member.SecurityGroups)
	}
	obs.SecurityGroupID = aws.ToString(member.SecurityGroups[0].SecurityGroupId)

	// Alarms: one set per member, the tier's thresholds, dimension CacheClusterId.
	alarms := c.observeAccessAndAlarms(t, name, &obs)
	members := len(rg.MemberClusters)
	for key, threshold := range want.AlarmThresholds {
		got := alarmsBySuffix(alarms, key)
		if len(got) != members {
			t.Errorf("%d %q alarms, want one per member (%d)", len(got), key, members)
		}
		for _, a := range got {
			if aws.ToFloat64(a.Threshold) != threshold {
				t.Errorf("alarm %s threshold %v, want %v", aws.ToString(a.AlarmName), aws.ToFloat64(a.Threshold), threshold)
			}
			if len(a.Dimensions) != 1 || aws.ToString(a.Dimensions[0].Name) != "CacheClusterId" || !slices.Contains(rg.MemberClusters, aws.ToString(a.Dimensions[0].Value)) {
				t.Errorf("alarm %s dimensions %v, want CacheClusterId of a member", aws.ToString(a.AlarmName), a.Dimensions)
			}
		}
	}
	if hitRate := len(alarmsBySuffix(alarms, "hit-rate")); (hitRate > 0) != want.HitRateAlarm || (want.HitRateAlarm && hitRate != members) {
		t.Errorf("%d hit-rate alarms for %d members, want hit-rate alarms: %v", hitRate, members, want.HitRateAlarm)
	}
	return obs
}

// tierOutputs reads the outputs of an applied tier module and compares those every tier
// module has with what AWS reports (obs).
func tierOutputs(t *testing.T, opts *terraform.Options, obs observedStack) map[string]any {
	t.Helper()
	out := outputs(t, opts)
	verifyCommonOutputs(t, out, obs)
	return out
}

// verifyCommonOutputs compares the outputs every tier module has with what AWS reports.
func verifyCommonOutputs(t *testing.T, out map[string]any, obs observedStack) {
	t.Helper()
	if got := out["endpoint"]; got != obs.Endpoint {
		t.Errorf("output endpoint %v, AWS says %s", got, obs.Endpoint)
	}
	if got, want := out["connection_url"], fmt.Sprintf("rediss://%s:%d", obs.Endpoint, obs.Port); got != want {
		t.Errorf("output connection_url %v, want %s", got, want)
	}
	if url, _ := out["connection_url"].(string); !connectionURL.MatchString(url) {
		t.Errorf("connection_url %q must be rediss://host:port without credentials", url)
	}
	if obs.ReaderEndpoint != "" {
		if got, want := out["reader_connection_url"], fmt.Sprintf("rediss://%s:%d", obs.ReaderEndpoint, obs.Port); got != want {
			t.Errorf("output reader_connection_url %v, want %s", got, want)
		}
	}
	if got := out["port"]; got != float64(obs.Port) {
		t.Errorf("output port %v, AWS says %d", got, obs.Port)
	}
	if got := out["security_group_id"]; got != obs.SecurityGroupID {
		t.Errorf("output security_group_id %v, the members use %s", got, obs.SecurityGroupID)
	}
	if obs.ParameterGroup == "" { // serverless: no parameter group, no members
		if out["parameter_group_name"] != nil || len(stringsOf(out["member_clusters"])) != 0 {
			t.Errorf("serverless: parameter_group_name %v (want null), member_clusters %v (want none)", out["parameter_group_name"], out["member_clusters"])
		}
	} else if got := out["parameter_group_name"]; got != obs.ParameterGroup {
		t.Errorf("output parameter_group_name %v, the members use %s", got, obs.ParameterGroup)
	}
	if got := sortedCopy(stringsOf(out["alarm_names"])); !slices.Equal(got, obs.AlarmNames) {
		t.Errorf("output alarm_names %v, CloudWatch has %v", got, obs.AlarmNames)
	}
	if got := sortedCopy(stringsOf(out["member_clusters"])); obs.ParameterGroup != "" && !slices.Equal(got, sortedCopy(obs.Group.MemberClusters)) {
		t.Errorf("output member_clusters %v, AWS says %v", got, obs.Group.MemberClusters)
	}
	cost, _ := out["cost"].(map[string]any)
	if monthly, _ := cost["monthly_usd"].(float64); monthly <= 0 {
		t.Errorf("output cost %v: monthly_usd must be positive", out["cost"])
	}
	if _, ok := out["recommendations"].([]any); !ok {
		t.Errorf("output recommendations %v is not a list", out["recommendations"])
	}
}

// serverlessExpectation is what a tier promises about a serverless cache it creates.
type serverlessExpectation struct {
	MaxDataStorageGB  int32 // 0: no limit; -1: not checked
	MaxECPUPerSecond  int32 // 0: no limit; -1: not checked
	SnapshotRetention int32 // -1: not checked
	// AlarmThresholds: alarm key (e.g. "hit-rate") -> threshold; one alarm per cache.
	AlarmThresholds map[string]float64
	// NoAlarms lists alarm keys the cache must not have (e.g. "hit-rate" for a session store).
	NoAlarms []string
}

// isServerless reports whether the stack named name is a serverless cache (else a replication
// group).
func isServerless(t *testing.T, name string) bool {
	t.Helper()
	out, err := newClients(t).ElastiCache.DescribeServerlessCaches(context.Background(), &elasticache.DescribeServerlessCachesInput{ServerlessCacheName: aws.String(name)})
	return err == nil && len(out.ServerlessCaches) == 1
}

// verifyServerless checks, through the SDK, the serverless cache named name: available, Valkey,
// usage limits, snapshots, its security group admitting exactly the test application's group on
// the cache port, TLS (serverless caches always have it) and its CloudWatch alarms (dimension
// clusterId).
func verifyServerless(t *testing.T, name string, want serverlessExpectation) observedStack {
	t.Helper()
	c := newClients(t)
	out, err := c.ElastiCache.DescribeServerlessCaches(context.Background(), &elasticache.DescribeServerlessCachesInput{ServerlessCacheName: aws.String(name)})
	if err != nil || len(out.ServerlessCaches) != 1 {
		t.Fatalf("DescribeServerlessCaches %s: %v", name, err)
	}
	sc := out.ServerlessCaches[0]
	var obs observedStack
	if aws.ToString(sc.Status) != "available" || aws.ToString(sc.Engine) != "valkey" {
		t.Errorf("serverless cache %s: status %q engine %q, want available valkey", name, aws.ToString(sc.Status), aws.ToString(sc.Engine))
	}
	var data, ecpu int32
	if l := sc.CacheUsageLimits; l != nil {
		if l.DataStorage != nil {
			data = aws.ToInt32(l.DataStorage.Maximum)
		}
		if l.ECPUPerSecond != nil {
			ecpu = aws.ToInt32(l.ECPUPerSecond.Maximum)
		}
	}
	if (want.MaxDataStorageGB >= 0 && data != want.MaxDataStorageGB) || (want.MaxECPUPerSecond >= 0 && ecpu != want.MaxECPUPerSecond) {
		t.Errorf("usage limits: data %d GB, %d ECPU/s; want %d GB, %d ECPU/s", data, ecpu, want.MaxDataStorageGB, want.MaxECPUPerSecond)
	}
	if got := aws.ToInt32(sc.SnapshotRetentionLimit); want.SnapshotRetention >= 0 && got != want.SnapshotRetention {
		t.Errorf("snapshot retention %d days, want %d", got, want.SnapshotRetention)
	}
	if sc.Endpoint == nil {
		t.Fatalf("serverless cache %s has no endpoint", name)
	}
	obs.Endpoint, obs.Port = aws.ToString(sc.Endpoint.Address), aws.ToInt32(sc.Endpoint.Port)
	if len(sc.SecurityGroupIds) != 1 {
		t.Fatalf("serverless cache %s has security groups %v, want exactly the stack's", name, sc.SecurityGroupIds)
	}
	obs.SecurityGroupID = sc.SecurityGroupIds[0]
	alarms := c.observeAccessAndAlarms(t, name, &obs)
	for key, threshold := range want.AlarmThresholds {
		a, ok := alarms["elasticache/"+name+"/"+key]
		if !ok {
			t.Errorf("no %q alarm; alarms: %v", key, obs.AlarmNames)
			continue
		}
		if aws.ToFloat64(a.Threshold) != threshold {
			t.Errorf("alarm %s threshold %v, want %v", aws.ToString(a.AlarmName), aws.ToFloat64(a.Threshold), threshold)
		}
		if len(a.Dimensions) != 1 || aws.ToString(a.Dimensions[0].Name) != "clusterId" || aws.ToString(a.Dimensions[0].Value) != name {
			t.Errorf("alarm %s dimensions %v, want clusterId=%s", aws.ToString(a.AlarmName), a.Dimensions, name)
		}
	}
	for _, key := range want.NoAlarms {
		if _, ok := alarms["elasticache/"+name+"/"+key]; ok {
			t.Errorf("unexpected %q alarm", key)
		}
	}
	return obs
}

// observeAccessAndAlarms checks that the stack's security group (obs.SecurityGroupID) admits the
// application's security group on the stack's port and nothing else, records the names of the
// stack's alarms in obs, and returns the alarms by name.
func (c awsClients) observeAccessAndAlarms(t *testing.T, name string, obs *observedStack) map[string]cwtypes.MetricAlarm {
	t.Helper()
	wantRules := []string{fmt.Sprintf("tcp/%d from %s", obs.Port, suite.Net.AppGroupID)}
	if got := c.ingressRules(t, obs.SecurityGroupID); !slices.Equal(got, wantRules) {
		t.Errorf("security group %s ingress %v, want only %v", obs.SecurityGroupID, got, wantRules)
	}
	alarms := c.alarms(t, "elasticache/"+name+"/")
	for n := range alarms {
		obs.AlarmNames = append(obs.AlarmNames, n)
	}
	obs.AlarmNames = sortedCopy(obs.AlarmNames)
	return alarms
}
