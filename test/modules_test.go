package test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/gruntwork-io/terratest/modules/terraform"
)

// Each tier module applied as the root module, with its defaults: the promises of its README's
// rationale table, checked in AWS.

func TestGenAISessionModule(t *testing.T) {
	t.Parallel()
	name := uniqueName("tt-sess")
	applyTier(t, "genai-session", name, networkVars(name), func(t *testing.T, opts *terraform.Options) {
		obs := verifyStack(t, name, stackExpectation{
			EvictionPolicy: "volatile-lru", NodeType: "cache.r7g.large", Shards: 1, ReplicasPerShard: 2, SnapshotRetention: aws.Int32(1),
			AlarmThresholds: map[string]float64{"evictions": 0, "engine-cpu": 70, "memory": 80, "replication-lag": 1},
			HitRateAlarm:    false,
		})
		out := tierOutputs(t, opts, obs)
		wantOutputs(t, out, map[string]any{
			"eviction_policy": "volatile-lru", "mode": "provisioned", "cluster_mode_enabled": false,
			"session_ttl_seconds": 1800, "key_conventions.session": name + ":sess:{<session_id>}",
		})
		verifyOneStack(t, opts)
		verifyMovedFrom(t, opts, "elasticache_stack.provisioned[0]", "elasticache_stack.this")
	})
}

// load_pattern = "spiky": the session tier as a serverless cache, keeping the tier's snapshots
// and alarms (no hit-rate alarm; a storage alarm before the data limit evicts).
func TestGenAISessionModuleServerless(t *testing.T) {
	t.Parallel()
	name := uniqueName("tt-sess-sl")
	vars := networkVars(name)
	vars["load_pattern"] = "spiky"
	vars["serverless"] = map[string]any{"max_data_storage_gb": 10}
	vars["expected_load"] = map[string]any{"data_gb": 2, "requests_per_second": 1000, "peak_to_average": 5}
	applyTier(t, "genai-session", name, vars, func(t *testing.T, opts *terraform.Options) {
		obs := verifyServerless(t, name, serverlessExpectation{
			MaxDataStorageGB:  10,
			SnapshotRetention: 1,
			AlarmThresholds:   map[string]float64{"storage": 10 * 1024 * 1024 * 1024 * 0.8, "throttled-commands": 0},
			NoAlarms:          []string{"hit-rate"},
		})
		out := tierOutputs(t, opts, obs)
		wantOutputs(t, out, map[string]any{"mode": "serverless", "reader_connection_url": nil})
		cost, _ := out["cost"].(map[string]any)
		breakdown, _ := cost["breakdown"].(map[string]any)
		if breakdown["nodes"] != float64(0) || breakdown["storage"].(float64) <= 0 {
			t.Errorf("serverless cost breakdown %v: storage and ECPUs, no nodes", breakdown)
		}
		verifyOneStack(t, opts)
	})
}

func TestRateLimitModule(t *testing.T) {
	t.Parallel()
	name := uniqueName("tt-rl")
	vars := networkVars(name)
	vars["expected_load"] = map[string]any{"data_gb": 0.5, "requests_per_second": 20000, "avg_request_kb": 0.1}
	applyTier(t, "rate-limit", name, vars, func(t *testing.T, opts *terraform.Options) {
		obs := verifyStack(t, name, stackExpectation{
			EvictionPolicy: "noeviction", NodeType: "cache.m7g.large", Shards: 1, ReplicasPerShard: 1, SnapshotRetention: aws.Int32(0),
			// Latency: the engine thread alarms at 60 %, the host CPU (2 vCPU node) at 90 % / 2 = 45 %, and
			// the command latency itself (opt-in on nodes, on in this tier) above 2 ms.
			AlarmThresholds: map[string]float64{"engine-cpu": 60, "cpu": 45, "memory": 70, "evictions": 0,
				"read-latency": 2000, "write-latency": 2000},
			HitRateAlarm: false,
		})
		out := tierOutputs(t, opts, obs)
		// Window counters live two 60 s windows.
		wantOutputs(t, out, map[string]any{"eviction_policy": "noeviction", "ttl_seconds.fixed_window": 120})
		kinds := map[string]bool{}
		for _, r := range out["recommendations"].([]any) {
			kinds[r.(map[string]any)["kind"].(string)] = true
		}
		if !kinds["reserved_nodes"] || !(kinds["provisioned"] || kinds["serverless"]) {
			t.Errorf("recommendations %v: want reserved_nodes and a deployment recommendation for the expected load", kinds)
		}
		verifyMovedFrom(t, opts, "elasticache_stack.this")
	})
}

func TestCacheModule(t *testing.T) {
	t.Parallel()
	name := uniqueName("tt-cache")
	vars := networkVars(name)
	vars["provisioned"] = map[string]any{"shards": 2} // cluster mode
	applyTier(t, "cache", name, vars, func(t *testing.T, opts *terraform.Options) {
		obs := verifyStack(t, name, stackExpectation{
			EvictionPolicy: "allkeys-lru", NodeType: "cache.r7g.large", Shards: 2, ReplicasPerShard: 1, SnapshotRetention: aws.Int32(0),
			AlarmThresholds: map[string]float64{"hit-rate": 50, "evictions": 1000},
			HitRateAlarm:    true,
		})
		if obs.Group.ConfigurationEndpoint == nil {
			t.Errorf("two shards must give a cluster-mode configuration endpoint")
		}
		out := tierOutputs(t, opts, obs)
		wantOutputs(t, out, map[string]any{"cluster_mode_enabled": true, "reader_endpoint": nil})
		guidance, _ := out["ttl_guidance"].(map[string]any)
		want := map[string][2]float64{
			"configuration": {300, 900}, "user_profile": {60, 300}, "product_catalog": {900, 3600},
			"api_response": {30, 300}, "session_data": {1800, 3600},
		}
		for kind, bounds := range want {
			row, _ := guidance[kind].(map[string]any)
			if row["min_seconds"] != bounds[0] || row["max_seconds"] != bounds[1] {
				t.Errorf("ttl_guidance.%s = %v, want %v-%v s", kind, row, bounds[0], bounds[1])
			}
		}
		jitter, _ := out["ttl_jitter"].(map[string]any)
		if jitter["percent"] != float64(10) || jitter["advice"] == "" {
			t.Errorf("ttl_jitter %v", jitter)
		}
		verifyOneStack(t, opts)
		verifyMovedFrom(t, opts, "elasticache_stack.provisioned[0]", "elasticache_stack.this")
	})
}

// Changing load_pattern replaces the one stack at its address: the replication group is deleted
// before the serverless cache takes its name, and the state holds the one stack
// throughout.
func TestCacheModuleSwitchesMode(t *testing.T) {
	t.Parallel()
	name := uniqueName("tt-cache-sw")
	applyTier(t, "cache", name, networkVars(name), func(t *testing.T, opts *terraform.Options) {
		verifyStack(t, name, stackExpectation{EvictionPolicy: "allkeys-lru", Shards: 1, ReplicasPerShard: 1, HitRateAlarm: true})
		verifyOneStack(t, opts)

		opts.Vars["load_pattern"] = "spiky"
		opts.Vars["serverless"] = map[string]any{"max_data_storage_gb": 5}
		if applied := terraform.Apply(t, opts); !strings.Contains(applied, "1 added, 0 changed, 1 destroyed") {
			t.Errorf("load_pattern steady -> spiky must replace the stack (1 added, 1 destroyed):\n%s", applied)
		}
		if gone, err := newClients(t).replicationGroupGone(context.Background(), name); !gone {
			t.Errorf("replication group %s must be gone after the switch to serverless (err=%v)", name, err)
		}
		obs := verifyServerless(t, name, serverlessExpectation{
			MaxDataStorageGB:  5,
			MaxECPUPerSecond:  0,
			SnapshotRetention: 0,
			AlarmThresholds:   map[string]float64{"hit-rate": 50},
		})
		out := tierOutputs(t, opts, obs)
		wantOutputs(t, out, map[string]any{"mode": "serverless", "eviction_policy": "volatile-lru"})
		verifyOneStack(t, opts)
	})
}

// stackAddress is where a tier module applied as the root module keeps its one stack: in
// modules/internal/stack, the module every tier calls.
const stackAddress = "module.stack.elasticache_stack.this"

// verifyOneStack checks that a tier module applied as the root module keeps exactly one object
// in state, the stack: no block per mode, no cost data sources.
func verifyOneStack(t *testing.T, opts *terraform.Options) {
	t.Helper()
	if got := stateAddresses(t, opts); !slices.Equal(got, []string{stackAddress}) {
		t.Errorf("terraform state list: %v, want only %s", got, stackAddress)
	}
}

// verifyMovedFrom: state written by earlier module versions has a node-based stack at
// elasticache_stack.provisioned[0] (one count-selected block per mode) or at
// elasticache_stack.this (the stack in the tier module itself); the module's moved blocks take
// each old address to the stack's without touching the cache.
func verifyMovedFrom(t *testing.T, opts *terraform.Options, olds ...string) {
	t.Helper()
	for _, old := range olds {
		stateCommand(t, opts, "state", "mv", stackAddress, old)
		if applied := terraform.Apply(t, opts); !strings.Contains(applied, "0 added, 0 changed, 0 destroyed") {
			t.Errorf("a stack at %s must move to %s without changes:\n%s", old, stackAddress, applied)
		}
		verifyOneStack(t, opts)
	}
}

// stateAddresses lists the configuration's state (terraform state list).
func stateAddresses(t *testing.T, opts *terraform.Options) []string {
	t.Helper()
	return strings.Fields(stateCommand(t, opts, "state", "list"))
}

// stateCommand runs a terraform state subcommand in the configuration's directory, without the
// -var arguments Terratest adds to every command.
func stateCommand(t *testing.T, opts *terraform.Options, args ...string) string {
	t.Helper()
	return terraform.RunTerraformCommandAndGetStdout(t, &terraform.Options{TerraformDir: opts.TerraformDir, EnvVars: opts.EnvVars}, args...)
}

// TestExamples applies every modules/<module>/examples/<example>. Each example takes name,
// subnet_ids and allowed_security_group_ids, and has one output: its module call's outputs.
func TestExamples(t *testing.T) {
	t.Parallel()
	dirs, err := filepath.Glob(filepath.Join(suite.RepoRoot, "modules", "*", "examples", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no examples under modules/*/examples: %v", err)
	}
	sort.Strings(dirs)
	policies := map[string][]string{
		"genai-session": {"volatile-lru"},
		"rate-limit":    {"noeviction"},
		"cache":         {"allkeys-lru", "allkeys-lfu"},
	}
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		module := filepath.Base(filepath.Dir(filepath.Dir(dir)))
		example := filepath.Base(dir)
		t.Run(module+"/"+example, func(t *testing.T) {
			t.Parallel()
			name := uniqueName("tt-ex")
			lifecycle{
				Name: name,
				Dir:  filepath.Join(copyModules(t), module, "examples", example),
				Vars: networkVars(name),
				Verify: func(t *testing.T, opts *terraform.Options) {
					var obs observedStack
					if isServerless(t, name) {
						obs = verifyServerless(t, name, serverlessExpectation{
							MaxDataStorageGB: -1, MaxECPUPerSecond: -1, SnapshotRetention: -1, // checked by the module tests
						})
					} else {
						obs = verifyStack(t, name, stackExpectation{HitRateAlarm: module == "cache"})
						policy := newClients(t).parameter(t, obs.ParameterGroup, "maxmemory-policy")
						if !slices.Contains(policies[module], policy) {
							t.Errorf("example %s/%s: maxmemory-policy %q, want one of %v", module, example, policy, policies[module])
						}
					}
					out := moduleOutputs(t, opts)
					url, _ := out["connection_url"].(string)
					if !connectionURL.MatchString(url) || url != "rediss://"+obs.Endpoint+":6379" {
						t.Errorf("example %s/%s: connection_url %q, endpoint %s", module, example, url, obs.Endpoint)
					}
					if got := stateAddresses(t, opts); len(got) != 1 || !strings.HasSuffix(got[0], ".elasticache_stack.this") {
						t.Errorf("example %s/%s: state %v, want the module's elasticache_stack.this only", module, example, got)
					}
				},
			}.run(t)
		})
	}
}

// wantOutputs compares outputs with the values wanted, by name or by a dotted path into an
// object output ("key_conventions.session"); numbers compare as the JSON numbers they are.
func wantOutputs(t *testing.T, out map[string]any, want map[string]any) {
	t.Helper()
	for path, w := range want {
		var got any = out
		for _, key := range strings.Split(path, ".") {
			m, _ := got.(map[string]any)
			got = m[key]
		}
		if n, ok := w.(int); ok {
			w = float64(n)
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("output %s = %v, want %v", path, got, w)
		}
	}
}

// moduleOutputs reads an example's one output, the outputs of its module call.
func moduleOutputs(t *testing.T, opts *terraform.Options) map[string]any {
	t.Helper()
	all := outputs(t, opts)
	if len(all) != 1 {
		t.Fatalf("an example has one output (its module's outputs), got %d", len(all))
	}
	for _, v := range all {
		if m, ok := v.(map[string]any); ok {
			return m
		}
	}
	t.Fatalf("the example's output is not an object: %v", all)
	return nil
}
