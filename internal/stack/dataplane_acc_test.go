package stack_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/redis/go-redis/v9"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// These tests apply stacks and then use them as an application does, through go-redis
// against the engines the bundled emulator runs behind every cache (test/emulator/README.md,
// "Data plane"): what the stack configures must be what the engine enforces.

// pingErr sends PING and returns the error (nil when the answer is PONG).
func pingErr(ctx context.Context, c *redis.Client) error {
	pong, err := c.Ping(ctx).Result()
	if err == nil && pong != "PONG" {
		return fmt.Errorf("PING answered %q", pong)
	}
	return err
}

func wantErrContaining(t *testing.T, what string, err error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: succeeded, want an error containing %q", what, fragments)
		return
	}
	for _, f := range fragments {
		if strings.Contains(err.Error(), f) {
			return
		}
	}
	t.Errorf("%s: error %q, want one containing any of %q", what, err, fragments)
}

// engines is what a data-plane test starts from: the bundled emulator's engines (the test
// skips without them) and the name of the stack it builds.
type engines struct {
	acctest.DataPlane
	name string
}

func dataPlaneTest(t *testing.T, prefix string) engines {
	t.Helper()
	acctest.PreCheck(t)
	return engines{acctest.RequireDataPlane(t), acctest.RandomName(prefix)}
}

// primary connects to the primary endpoint of the test's stack.
func (e engines) primary(t *testing.T, opts acctest.RedisOptions) *redis.Client {
	t.Helper()
	p, _ := groupEndpoints(t, e.name)
	return e.Redis(t, p.Host, p.Port, opts)
}

// dataPlaneStack is a small provisioned stack with one replica, on nodes the engines run.
func dataPlaneStack(name string) stackConfig {
	return stackConfig{Name: name, NodeType: "cache.t4g.small", Replicas: 1}
}

const (
	tokenA = "Token-A-0123456789abcdef"
	tokenB = "Token-B-0123456789abcdef"
	tokenC = "Token-C-0123456789abcdef"
)

func tokenStack(name, token string, version int) stackConfig {
	cfg := dataPlaneStack(name)
	cfg.Security = fmt.Sprintf("    auth_token_wo = %q\n    auth_token_wo_version = %d", token, version)
	return cfg
}

// TestAccDataPlane_tlsAuthAndRotation: TLS only (plaintext refused), the AUTH token accepted
// and a wrong one refused, ElastiCache's restricted commands refused, replicas serving reads
// through the reader endpoint; then a rotation through the API (ROTATE: both tokens work;
// SET: only the new one) and one through the stack (a new token version: only it works).
// Emulator rules (RULES.md): "dp-restricted-commands", "dp-auth-token-rotate-set",
// "dp-transit-encryption-mode".
func TestAccDataPlane_tlsAuthAndRotation(t *testing.T) {
	dp := dataPlaneTest(t, "acc-dp-auth")
	name, ctx := dp.name, context.Background()
	connect := func(token string, tls bool) *redis.Client {
		return dp.primary(t, acctest.RedisOptions{TLS: tls, Password: token})
	}
	onlyWorks := func(good string, bad ...string) {
		t.Helper()
		if err := pingErr(ctx, connect(good, true)); err != nil {
			t.Errorf("token %.7s: %v", good, err)
		}
		for _, b := range bad {
			wantErrContaining(t, "token "+b[:7], pingErr(ctx, connect(b, true)), "WRONGPASS")
		}
	}
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{
			Config:            tokenStack(name, tokenA, 1).HCL(t),
			ConfigStateChecks: stateChecks{inState("port", 6379)},
			Check: resource.ComposeTestCheckFunc(
				checkEndpointsMatchState(t, name),
				func(*terraform.State) error {
					wantErrContaining(t, "plaintext", pingErr(ctx, connect(tokenA, false)), "EOF", "reset", "closed", "broken pipe")
					wantErrContaining(t, "no token", pingErr(ctx, connect("", true)), "NOAUTH")
					wantErrContaining(t, "wrong token", pingErr(ctx, connect("Wrong-0123456789abcdef", true)), "WRONGPASS")
					c := connect(tokenA, true)
					wantErrContaining(t, "CONFIG GET", c.ConfigGet(ctx, "maxmemory").Err(), "unknown command")
					wantErrContaining(t, "SHUTDOWN", c.Do(ctx, "SHUTDOWN").Err(), "unknown command")
					checkReaderServesReplicaReads(ctx, t, dp.DataPlane, name, tokenA)
					rotateThroughAPI(ctx, t, name, onlyWorks)
					return nil
				},
			),
		},
		{
			Config: tokenStack(name, tokenC, 2).HCL(t),
			Check: func(*terraform.State) error {
				onlyWorks(tokenC, tokenA, tokenB)
				return nil
			},
		},
	}))
}

// checkEndpointsMatchState: the stack's primary and reader endpoints are the live engines'.
func checkEndpointsMatchState(t *testing.T, name string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		p, r := groupEndpoints(t, name)
		attrs := s.RootModule().Resources[addr].Primary.Attributes
		if attrs["primary_endpoint"] != p.Host || attrs["reader_endpoint"] != r.Host || p.Port != 6379 {
			return fmt.Errorf("state endpoints %s / %s, API %v / %v", attrs["primary_endpoint"], attrs["reader_endpoint"], p, r)
		}
		return nil
	}
}

// checkReaderServesReplicaReads writes through the primary endpoint and reads the key back
// through the reader endpoint, from a replica (ROLE), once replication has carried it.
func checkReaderServesReplicaReads(ctx context.Context, t *testing.T, dp acctest.DataPlane, name, token string) {
	t.Helper()
	p, r := groupEndpoints(t, name)
	primary := dp.Redis(t, p.Host, p.Port, acctest.RedisOptions{TLS: true, Password: token})
	reader := dp.Redis(t, r.Host, r.Port, acctest.RedisOptions{TLS: true, Password: token})
	if err := primary.Set(ctx, "session:42", "agent-state", time.Hour).Err(); err != nil {
		t.Fatalf("SET through the primary endpoint: %v", err)
	}
	role, err := reader.Do(ctx, "ROLE").Slice()
	if err != nil || len(role) == 0 || role[0] != "slave" {
		t.Errorf("the reader endpoint leads to %v (%v), want a replica", role, err)
	}
	err = acctest.Eventually(ctx, 10*time.Second, func(ctx context.Context) error {
		v, err := reader.Get(ctx, "session:42").Result()
		if err == nil && v != "agent-state" {
			err = fmt.Errorf("got %q", v)
		}
		return err
	})
	if err != nil {
		t.Errorf("read through the reader endpoint: %v", err)
	}
	wantErrContaining(t, "write to a replica", reader.Set(ctx, "x", "y", 0).Err(), "READONLY")
}

// evictionStack is a small node (cache.t4g.micro: a 6 MiB engine budget) without replicas.
func evictionStack(name, policy string) stackConfig {
	return stackConfig{Name: name, NodeType: "cache.t4g.micro", Replicas: 0, Eviction: policy}
}

// TestAccDataPlane_eviction fills the engine under each policy the tiers use, changing the
// stack's eviction_policy between steps (the parameter group changes; the engine follows
// live): volatile-lru evicts only keys with a TTL, noeviction refuses writes with OOM,
// allkeys-lru evicts the least recently used keys.
func TestAccDataPlane_eviction(t *testing.T) {
	dp := dataPlaneTest(t, "acc-dp-evict")
	name, ctx := dp.name, context.Background()
	client := func() *redis.Client { return dp.primary(t, acctest.RedisOptions{TLS: true}) }
	step := func(policy string, check func(*redis.Client)) resource.TestStep {
		return resource.TestStep{Config: evictionStack(name, policy).HCL(t), Check: func(*terraform.State) error {
			c := client()
			if got := infoField(ctx, t, c, "memory", "maxmemory_policy"); got != policy {
				t.Fatalf("engine maxmemory_policy = %q, want %q", got, policy)
			}
			if err := c.FlushAll(ctx).Err(); err != nil {
				t.Fatal(err)
			}
			check(c)
			return nil
		}}
	}
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		step("volatile-lru", func(c *redis.Client) { checkVolatileLRU(ctx, t, c) }),
		step("noeviction", func(c *redis.Client) { checkNoEviction(ctx, t, c) }),
		step("allkeys-lru", func(c *redis.Client) { checkAllKeysLRU(ctx, t, c) }),
	}))
}

var value1K = strings.Repeat("v", 1024)

// fill writes 1 KiB values under prefix:<i> for i in [from, to) in pipelines of 100 and
// returns the first write error (OOM under noeviction).
func fill(ctx context.Context, c *redis.Client, prefix string, from, to int, ttl time.Duration) error {
	for i := from; i < to; i += 100 {
		pipe := c.Pipeline()
		for j := i; j < min(i+100, to); j++ {
			pipe.Set(ctx, fmt.Sprintf("%s:%d", prefix, j), value1K, ttl)
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

func infoField(ctx context.Context, t *testing.T, c *redis.Client, section, field string) string {
	t.Helper()
	text, err := c.Info(ctx, section).Result()
	if err != nil {
		t.Fatalf("INFO %s: %v", section, err)
	}
	for _, line := range strings.Split(text, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return v
		}
	}
	t.Fatalf("INFO %s has no %s", section, field)
	return ""
}

func countKeys(ctx context.Context, t *testing.T, c *redis.Client, prefix string, from, to int) int {
	t.Helper()
	n := 0
	for i := from; i < to; i += 500 {
		keys := make([]string, 0, 500)
		for j := i; j < min(i+500, to); j++ {
			keys = append(keys, fmt.Sprintf("%s:%d", prefix, j))
		}
		got, err := c.Exists(ctx, keys...).Result()
		if err != nil {
			t.Fatal(err)
		}
		n += int(got)
	}
	return n
}

// checkVolatileLRU: 2 MiB of keys without TTL, then 16 MiB of keys with a TTL into a 6 MiB
// budget. Every key without a TTL survives; TTL keys are evicted.
func checkVolatileLRU(ctx context.Context, t *testing.T, c *redis.Client) {
	t.Helper()
	if err := fill(ctx, c, "profile", 0, 2000, 0); err != nil {
		t.Fatalf("writing keys without TTL: %v", err)
	}
	if err := fill(ctx, c, "session", 0, 16000, time.Hour); err != nil {
		t.Fatalf("writing keys with TTL under volatile-lru: %v", err)
	}
	if n := countKeys(ctx, t, c, "profile", 0, 2000); n != 2000 {
		t.Errorf("volatile-lru evicted keys without a TTL: %d of 2000 left", n)
	}
	if n := countKeys(ctx, t, c, "session", 0, 16000); n == 16000 || n == 0 {
		t.Errorf("volatile-lru: %d of 16000 TTL keys left, want some evicted and some kept", n)
	}
	if ev := infoField(ctx, t, c, "stats", "evicted_keys"); ev == "0" {
		t.Error("INFO stats evicted_keys = 0 after filling past maxmemory")
	}
}

// checkNoEviction: writes past the budget fail with OOM and nothing is evicted.
func checkNoEviction(ctx context.Context, t *testing.T, c *redis.Client) {
	t.Helper()
	before := infoField(ctx, t, c, "stats", "evicted_keys") // counts since the engine started
	err := fill(ctx, c, "bucket", 0, 16000, 0)
	wantErrContaining(t, "writing 16 MiB under noeviction", err, "OOM command not allowed")
	if ev := infoField(ctx, t, c, "stats", "evicted_keys"); ev != before {
		t.Errorf("noeviction evicted keys: evicted_keys went from %s to %s", before, ev)
	}
}

// checkAllKeysLRU: 3000 cold keys, then (once the engine's LRU clock — one-second resolution —
// has moved on, polled with OBJECT IDLETIME) 16 MiB of new keys. Eviction samples keys and
// takes the least recently used: the cold keys go first, so a far smaller share of them is left
// than of the new ones.
func checkAllKeysLRU(ctx context.Context, t *testing.T, c *redis.Client) {
	t.Helper()
	if err := fill(ctx, c, "cold", 0, 3000, 0); err != nil {
		t.Fatal(err)
	}
	err := acctest.Eventually(ctx, 10*time.Second, func(ctx context.Context) error {
		idle, err := c.ObjectIdleTime(ctx, "cold:0").Result()
		if err == nil && idle < time.Second {
			err = fmt.Errorf("idle %s", idle)
		}
		return err
	})
	if err != nil {
		t.Fatalf("cold keys never became idle: %v", err)
	}
	if err := fill(ctx, c, "new", 0, 16000, 0); err != nil {
		t.Fatalf("writing under allkeys-lru: %v", err)
	}
	cold := float64(countKeys(ctx, t, c, "cold", 0, 3000)) / 3000
	fresh := float64(countKeys(ctx, t, c, "new", 0, 16000)) / 16000
	if fresh == 0 || cold > fresh/4 {
		t.Errorf("allkeys-lru: %.0f %% of the cold keys left against %.0f %% of the new ones; the least recently used must go first", 100*cold, 100*fresh)
	}
}

// TestAccDataPlane_failover: TestFailover promotes the replica for real — the primary endpoint
// then leads to another engine (a new run_id), which is a primary, still holds the data and
// takes writes.
func TestAccDataPlane_failover(t *testing.T) {
	dp := dataPlaneTest(t, "acc-dp-failover")
	name, ctx := dp.name, context.Background()
	client := func() *redis.Client { return dp.primary(t, acctest.RedisOptions{TLS: true}) }
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{{
		Config: dataPlaneStack(name).HCL(t),
		Check: func(*terraform.State) error {
			before := client()
			if err := before.Set(ctx, "session:failover", "kept", 0).Err(); err != nil {
				return err
			}
			// The replica must have the key before it is promoted (replication is asynchronous).
			_, r := groupEndpoints(t, name)
			reader := dp.Redis(t, r.Host, r.Port, acctest.RedisOptions{TLS: true})
			if err := acctest.Eventually(ctx, 10*time.Second, func(ctx context.Context) error { return reader.Get(ctx, "session:failover").Err() }); err != nil {
				return fmt.Errorf("replica never got the key: %w", err)
			}
			oldID := infoField(ctx, t, before, "server", "run_id")
			if _, err := clients(t).ec.TestFailover(ctx, &elasticache.TestFailoverInput{ReplicationGroupId: aws.String(name), NodeGroupId: aws.String("0001")}); err != nil {
				return err
			}
			waitAvailable(ctx, t, name)
			after := client()
			if id := infoField(ctx, t, after, "server", "run_id"); id == oldID {
				return fmt.Errorf("the primary endpoint still leads to the old primary (run_id %s)", id)
			}
			if role := infoField(ctx, t, after, "replication", "role"); role != "master" {
				return fmt.Errorf("the primary endpoint leads to a %s", role)
			}
			if v, err := after.Get(ctx, "session:failover").Result(); err != nil || v != "kept" {
				return fmt.Errorf("after the failover: GET %q, %v", v, err)
			}
			return after.Set(ctx, "session:after", "ok", 0).Err()
		},
	}}))
}
