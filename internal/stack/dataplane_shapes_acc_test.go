package stack_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/redis/go-redis/v9"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// stateEndpoint is the stack's `endpoint` (or another address attribute) and `port`.
func stateEndpoint(t *testing.T, s *terraform.State, attr string) string {
	t.Helper()
	a := s.RootModule().Resources[addr].Primary.Attributes
	if a[attr] == "" || a["port"] == "" {
		t.Fatalf("state has no %s / port: %q %q", attr, a[attr], a["port"])
	}
	return net.JoinHostPort(a[attr], a["port"])
}

func clusterClient(t *testing.T, dp acctest.DataPlane, hostPort string) *redis.ClusterClient {
	t.Helper()
	cfg, err := dp.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{hostPort}, TLSConfig: cfg, Protocol: 2, MaxRetries: 2})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// shardCount asks the cluster for its shards as a cluster-aware client sees them (CLUSTER
// SLOTS, as go-redis reads it) and counts primaries with their replicas.
func shardCount(ctx context.Context, t *testing.T, c *redis.ClusterClient) (shards, nodes int) {
	t.Helper()
	slots, err := c.ClusterSlots(ctx).Result()
	if err != nil {
		t.Fatalf("CLUSTER SLOTS: %v", err)
	}
	seen := map[string]bool{}
	for _, s := range slots {
		if !seen[s.Nodes[0].Addr] {
			seen[s.Nodes[0].Addr] = true
			shards++
			nodes += len(s.Nodes)
		}
	}
	return shards, nodes
}

// TestAccDataPlane_clusterMode: a 3-shard stack is a real Redis Cluster behind its
// configuration endpoint — a cluster-aware client sees 3 shards with their replicas and
// spreads keys; a plain client is redirected with MOVED. Going to 4 shards moves slots, and
// the keys with them.
func TestAccDataPlane_clusterMode(t *testing.T) {
	dp := dataPlaneTest(t, "acc-dp-cluster")
	name, ctx := dp.name, context.Background()
	cfg := stackConfig{Name: name, NodeType: "cache.t4g.small", Shards: 3, Replicas: 1}
	keys := make([]string, 200)
	for i := range keys {
		keys[i] = fmt.Sprintf("tenant:%d", i)
	}
	check := func(wantShards int, write bool) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			cfgEndpoint := stateEndpoint(t, s, "configuration_endpoint")
			c := clusterClient(t, dp.DataPlane, cfgEndpoint)
			if shards, nodes := shardCount(ctx, t, c); shards != wantShards || nodes != 2*wantShards {
				return fmt.Errorf("cluster client sees %d shards / %d nodes, want %d / %d", shards, nodes, wantShards, 2*wantShards)
			}
			for _, k := range keys {
				if write {
					if err := c.Set(ctx, k, k, 0).Err(); err != nil {
						return fmt.Errorf("SET %s through the cluster client: %w", k, err)
					}
				} else if v, err := c.Get(ctx, k).Result(); err != nil || v != k {
					return fmt.Errorf("GET %s after resharding: %q, %v", k, v, err)
				}
			}
			host, port, _ := net.SplitHostPort(cfgEndpoint)
			p, _ := strconv.Atoi(port)
			plain := dp.Redis(t, host, p, acctest.RedisOptions{TLS: true})
			moved := 0
			for _, k := range keys {
				if err := plain.Get(ctx, k).Err(); err != nil && strings.HasPrefix(err.Error(), "MOVED ") {
					moved++
				}
			}
			if moved == 0 || moved == len(keys) {
				return fmt.Errorf("a plain client got MOVED for %d of %d keys; want some (the others live on the node it reached)", moved, len(keys))
			}
			return nil
		}
	}
	four := cfg
	four.Shards = 4
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: cfg.HCL(t), Check: check(3, true)},
		{Config: four.HCL(t), Check: check(4, false)},
	}))
}

// TestAccDataPlane_serverless: a serverless Valkey cache answers a cluster-aware client on its
// endpoint (one shard) over TLS.
func TestAccDataPlane_serverless(t *testing.T) {
	dp := dataPlaneTest(t, "acc-dp-serverless")
	name, ctx := dp.name, context.Background()
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{{
		Config: stackConfig{Name: name, Mode: "serverless", Engine: "valkey"}.HCL(t),
		Check: func(s *terraform.State) error {
			c := clusterClient(t, dp.DataPlane, stateEndpoint(t, s, "endpoint"))
			if err := c.Set(ctx, "agent:1:memory", "short-lived", time.Minute).Err(); err != nil {
				return fmt.Errorf("SET: %w", err)
			}
			if v, err := c.Get(ctx, "agent:1:memory").Result(); err != nil || v != "short-lived" {
				return fmt.Errorf("GET: %q %v", v, err)
			}
			if shards, _ := shardCount(ctx, t, c); shards != 1 {
				return fmt.Errorf("serverless endpoint shows %d shards, want 1", shards)
			}
			return nil
		},
	}}))
}

// discover sends ElastiCache's auto-discovery command over TLS and returns the node list.
func discover(t *testing.T, dp acctest.DataPlane, hostPort string) (version string, nodes []string) {
	t.Helper()
	cfg, err := dp.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", hostPort, cfg)
	if err != nil {
		t.Fatalf("dial the configuration endpoint %s: %v", hostPort, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, "config get cluster\r\n"); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	var lines []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("config get cluster: %v after %q", err, lines)
		}
		if line = strings.TrimRight(line, "\r\n"); line == "END" {
			break
		}
		lines = append(lines, line)
	}
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "CONFIG cluster 0 ") {
		t.Fatalf("config get cluster answered %q", lines)
	}
	for _, n := range strings.Fields(lines[2]) {
		parts := strings.Split(n, "|")
		nodes = append(nodes, net.JoinHostPort(parts[1], parts[2]))
	}
	return lines[1], nodes
}

// TestAccDataPlane_memcachedAutoDiscovery: the configuration endpoint of a Memcached stack
// lists its nodes with `config get cluster`; a Memcached client stores and reads items on
// them; after a third node is added the list has three nodes and a newer version (emulator
// rule "dp-memcached-auto-discovery").
func TestAccDataPlane_memcachedAutoDiscovery(t *testing.T) {
	dp := dataPlaneTest(t, "acc-dp-memcached")
	name := dp.name
	base := stackConfig{Name: name, Engine: "memcached", Provisioned: `    node_type = "cache.t4g.small"`}
	three := base
	three.Provisioned += "\n    num_nodes = 3"
	var firstVersion string
	check := func(want int) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			version, nodes := discover(t, dp.DataPlane, stateEndpoint(t, s, "endpoint"))
			if len(nodes) != want || version == firstVersion {
				return fmt.Errorf("auto discovery: version %s (before %q), nodes %v; want %d nodes and a new version", version, firstVersion, nodes, want)
			}
			firstVersion = version
			mc := memcacheClient(t, dp.DataPlane, nodes)
			for i := 0; i < 20; i++ {
				key := fmt.Sprintf("prompt:%d", i)
				if err := mc.Set(&memcache.Item{Key: key, Value: []byte(key), Expiration: 60}); err != nil {
					return fmt.Errorf("memcached SET %s: %w", key, err)
				}
				if it, err := mc.Get(key); err != nil || string(it.Value) != key {
					return fmt.Errorf("memcached GET %s: %v", key, err)
				}
			}
			return nil
		}
	}
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: base.HCL(t), Check: check(2)},
		{Config: three.HCL(t), Check: check(3)},
	}))
}

func memcacheClient(t *testing.T, dp acctest.DataPlane, nodes []string) *memcache.Client {
	t.Helper()
	cfg, err := dp.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	mc := memcache.New(nodes...)
	mc.Timeout = 5 * time.Second
	dialer := &tls.Dialer{Config: cfg}
	mc.DialContext = dialer.DialContext
	return mc
}

// TestAccDataPlane_rbac: with users of the stack's own, each user can run what its access
// string allows and nothing else, the stack's disabled default user lets no one in without
// credentials, a rotation through two passwords keeps clients connected, and an access change
// takes effect on the live engines.
func TestAccDataPlane_rbac(t *testing.T) {
	dp := dataPlaneTest(t, "acc-dp-rbac")
	name, ctx := dp.name, context.Background()
	const first, second = "App-Password-0123456789", "App-Password-abcdefghij"
	stack := func(access string, version int, passwords ...string) string {
		cfg := stackConfig{Name: name, NodeType: "cache.t4g.small", Replicas: 1, Security: usersBlock(map[string]string{"app": appUser(access, version, passwords...)})}
		return cfg.HCL(t)
	}
	const access = "on ~session:* -@all +get +set +ping"
	login := func(password string) *redis.Client {
		return dp.primary(t, acctest.RedisOptions{TLS: true, Username: "app", Password: password})
	}
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{
			Config: stack(access, 1, first),
			Check: func(*terraform.State) error {
				app := login(first)
				if err := app.Set(ctx, "session:1", "ok", time.Minute).Err(); err != nil {
					t.Errorf("app SET session:1 (allowed): %v", err)
				}
				wantErrContaining(t, "app SET other:1", app.Set(ctx, "other:1", "x", 0).Err(), "NOPERM")
				wantErrContaining(t, "app DEL session:1", app.Del(ctx, "session:1").Err(), "NOPERM")
				wantErrContaining(t, "app wrong password", pingErr(ctx, login("Wrong-0123456789abcdef")), "WRONGPASS")
				p, _ := groupEndpoints(t, name)
				wantErrContaining(t, "no credentials", pingErr(ctx, dp.Redis(t, p.Host, p.Port, acctest.RedisOptions{TLS: true})), "NOAUTH")
				return nil
			},
		},
		{
			// Rotation, step 1: both passwords work while clients move.
			Config: stack(access, 2, first, second),
			Check: func(*terraform.State) error {
				for _, pw := range []string{first, second} {
					if err := pingErr(ctx, login(pw)); err != nil {
						t.Errorf("login during rotation: %v", err)
					}
				}
				return nil
			},
		},
		{
			// Rotation, step 2: only the new password; and the user may now delete its keys.
			Config: stack(access+" +del", 3, second),
			Check: func(*terraform.State) error {
				wantErrContaining(t, "old password after rotation", pingErr(ctx, login(first)), "WRONGPASS")
				if err := login(second).Del(ctx, "session:1").Err(); err != nil {
					t.Errorf("app DEL session:1 (allowed now): %v", err)
				}
				return nil
			},
		},
	}))
}

// TestAccDataPlane_transitPreferred: with transit_encryption_mode = "preferred" the same
// endpoint accepts TLS and plaintext clients, as AWS does while clients migrate (emulator rule
// "dp-transit-encryption-mode").
func TestAccDataPlane_transitPreferred(t *testing.T) {
	dp := dataPlaneTest(t, "acc-dp-preferred")
	name, ctx := dp.name, context.Background()
	cfg := stackConfig{Name: name, NodeType: "cache.t4g.small", Replicas: 1, Security: `    transit_encryption_mode = "preferred"`}
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{{
		Config: cfg.HCL(t),
		Check: func(*terraform.State) error {
			p, r := groupEndpoints(t, name)
			for _, ep := range []endpoint{p, r} {
				for _, useTLS := range []bool{true, false} {
					if err := pingErr(ctx, dp.Redis(t, ep.Host, ep.Port, acctest.RedisOptions{TLS: useTLS})); err != nil {
						t.Errorf("PING %v (TLS %t) under preferred: %v", ep, useTLS, err)
					}
				}
			}
			return nil
		},
	}}))
}
