package test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gruntwork-io/terratest/modules/terraform"
	"github.com/redis/go-redis/v9"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
)

// The tier modules do their job: each test applies a module and runs, against the engine the
// emulator puts behind the cache (test/emulator/README.md, "Data plane"), the client snippet its
// README shows.

// dataPlaneTLS returns a TLS configuration trusting the emulator run's CA, or skips the test
// when the emulator runs no engines (redis-server / memcached missing) — except under CI=true.
func dataPlaneTLS(t *testing.T) *tls.Config {
	t.Helper()
	dp, err := emulator.Connect(suite.Endpoint).DataPlane(context.Background())
	var noControlAPI *emulator.StatusError
	if errors.As(err, &noControlAPI) {
		t.Skip("needs the bundled emulator's engines; " + suite.Endpoint + " has no /_emulator/dataplane")
	}
	if err != nil {
		t.Fatal(err)
	}
	if !dp.Enabled {
		if os.Getenv("CI") == "true" {
			t.Fatal("emulator data plane " + dp.Reason + " (CI=true requires the engines)")
		}
		t.Skip("emulator data plane " + dp.Reason)
	}
	cfg, err := dp.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func redisClient(t *testing.T, cfg *tls.Config, host string, port any) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: net.JoinHostPort(host, fmt.Sprint(port)), TLSConfig: cfg, Protocol: 2})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func infoValue(ctx context.Context, t *testing.T, c *redis.Client, section, field string) string {
	t.Helper()
	text, err := c.Info(ctx, section).Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(text, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return v
		}
	}
	return ""
}

// TestGenAISessionDataPlane: a session stored under the module's key convention with the
// module's TTL through `endpoint` is read back, TTL and all, through `reader_endpoint`.
func TestGenAISessionDataPlane(t *testing.T) {
	t.Parallel()
	cfg := dataPlaneTLS(t)
	name := uniqueName("tt-sess-dp")
	applyTier(t, "genai-session", name, networkVars(name), func(t *testing.T, opts *terraform.Options) {
		ctx := context.Background()
		out := outputs(t, opts)
		keys, _ := out["key_conventions"].(map[string]any)
		ttl := time.Duration(out["session_ttl_seconds"].(float64) * float64(time.Second))
		// README "Client snippet": write the session on the primary, read it from a replica.
		rdb := redisClient(t, cfg, out["endpoint"].(string), out["port"])
		reader := redisClient(t, cfg, out["reader_endpoint"].(string), out["port"])
		key := strings.Replace(keys["session"].(string), "<session_id>", "s-42", 1)
		if err := rdb.Set(ctx, key, `{"turn":3}`, ttl).Err(); err != nil {
			t.Fatalf("SET %s: %v", key, err)
		}
		err := emulator.Eventually(ctx, 10*time.Second, func(context.Context) error {
			v, err := reader.Get(ctx, key).Result()
			if err == nil && v != `{"turn":3}` {
				err = fmt.Errorf("got %q", v)
			}
			return err
		})
		if err != nil {
			t.Fatalf("read %s through the reader endpoint: %v", key, err)
		}
		if left := reader.TTL(ctx, key).Val(); left <= 0 || left > ttl {
			t.Errorf("TTL on the replica %s, want (0, %s]", left, ttl)
		}
		if role := reader.Do(ctx, "ROLE").Val(); fmt.Sprint(role) == "" || !strings.HasPrefix(fmt.Sprint(role), "[slave") {
			t.Errorf("the reader endpoint leads to %v, want a replica", role)
		}
	})
}

// tokenBucket is the rate-limit README's Lua script: refill by elapsed time, take one token if
// there is one, keep the bucket for ttl seconds. Returns 1 (allowed) or 0.
var tokenBucket = redis.NewScript(`
local capacity, rate, now, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'updated_at')
local tokens = math.min(capacity, (tonumber(b[1]) or capacity) + (now - (tonumber(b[2]) or now)) * rate)
local allowed = 0
if tokens >= 1 then tokens = tokens - 1; allowed = 1 end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'updated_at', now)
redis.call('EXPIRE', KEYS[1], ttl)
return allowed`)

// TestRateLimitDataPlane: the token bucket allows `capacity` takes and refuses the next; then
// memory fills up: under noeviction the writes that do not fit fail with OOM and the counters
// stay, untouched.
func TestRateLimitDataPlane(t *testing.T) {
	t.Parallel()
	cfg := dataPlaneTLS(t)
	name := uniqueName("tt-rl-dp")
	vars := networkVars(name)
	vars["provisioned"] = map[string]any{"node_type": "cache.t4g.micro"} // a 6 MiB engine: fills fast
	applyTier(t, "rate-limit", name, vars, func(t *testing.T, opts *terraform.Options) {
		ctx := context.Background()
		out := outputs(t, opts)
		rdb := redisClient(t, cfg, out["endpoint"].(string), out["port"])
		keys, _ := out["key_conventions"].(map[string]any)
		convention, _, _ := strings.Cut(keys["token_bucket"].(string), " ") // "<ns>:tb:{<subject>} (hash: ...)"
		bucket := strings.Replace(convention, "<subject>", "tenant-7", 1)
		now := time.Now().Unix()
		for i := 0; i < 6; i++ {
			allowed, err := tokenBucket.Run(ctx, rdb, []string{bucket}, 5, 0, now, 60).Int()
			if err != nil {
				t.Fatalf("token bucket take %d: %v", i+1, err)
			}
			if want := map[bool]int{true: 1, false: 0}[i < 5]; allowed != want {
				t.Errorf("take %d of a 5-token bucket: allowed=%d, want %d", i+1, allowed, want)
			}
		}
		var oom error
		for i := 0; i < 200 && oom == nil; i++ {
			_, oom = rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
				for j := 0; j < 100; j++ {
					p.Set(ctx, fmt.Sprintf("%s:filler:%d:%d", name, i, j), strings.Repeat("x", 1024), 0)
				}
				return nil
			})
		}
		if oom == nil || !strings.Contains(oom.Error(), "OOM") {
			t.Fatalf("filling 20 MiB under noeviction: %v, want OOM", oom)
		}
		if tokens := rdb.HGet(ctx, bucket, "tokens").Val(); tokens != "0" {
			t.Errorf("the bucket's counter after memory pressure: tokens=%q, want 0 (kept)", tokens)
		}
		if ev := infoValue(ctx, t, rdb, "stats", "evicted_keys"); ev != "0" {
			t.Errorf("noeviction evicted %s keys", ev)
		}
	})
}

// TestCacheDataPlane: a miss, then SET with the module's TTL guidance and a hit; then writes
// past the memory budget keep working because allkeys-lru evicts.
func TestCacheDataPlane(t *testing.T) {
	t.Parallel()
	cfg := dataPlaneTLS(t)
	name := uniqueName("tt-cache-dp")
	vars := networkVars(name)
	vars["provisioned"] = map[string]any{"node_type": "cache.t4g.micro"}
	applyTier(t, "cache", name, vars, func(t *testing.T, opts *terraform.Options) {
		ctx := context.Background()
		out := outputs(t, opts)
		rdb := redisClient(t, cfg, out["endpoint"].(string), out["port"])
		key := name + ":profile:{user-9}"
		if err := rdb.Get(ctx, key).Err(); !errors.Is(err, redis.Nil) {
			t.Fatalf("first GET: %v, want a miss", err)
		}
		hits := infoValue(ctx, t, rdb, "stats", "keyspace_hits")
		if err := rdb.Set(ctx, key, "profile", 5*time.Minute).Err(); err != nil {
			t.Fatal(err)
		}
		if v := rdb.Get(ctx, key).Val(); v != "profile" {
			t.Fatalf("GET after SET: %q", v)
		}
		if after := infoValue(ctx, t, rdb, "stats", "keyspace_hits"); after == hits {
			t.Errorf("keyspace_hits stayed %s after a hit", after)
		}
		for i := 0; i < 160; i++ {
			_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
				for j := 0; j < 100; j++ {
					p.Set(ctx, fmt.Sprintf("%s:item:%d:%d", name, i, j), strings.Repeat("x", 1024), 5*time.Minute)
				}
				return nil
			})
			if err != nil {
				t.Fatalf("writes past maxmemory under allkeys-lru: %v", err)
			}
		}
		if ev := infoValue(ctx, t, rdb, "stats", "evicted_keys"); ev == "0" || ev == "" {
			t.Errorf("evicted_keys %q after 16 MiB into a 6 MiB engine", ev)
		}
	})
}
