package stack_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/redis/go-redis/v9"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// These tests apply stacks and then use them as an application does, through go-redis
// against the engines the bundled emulator runs behind every cache (test/emulator/README.md,
// "Data plane"): what the stack configures must be what the engine enforces.

// endpoint is a host and port of a cache as DescribeReplicationGroups reports it.
type endpoint struct {
	Host string
	Port int
}

func toEndpoint(e *ectypes.Endpoint) endpoint {
	if e == nil {
		return endpoint{}
	}
	return endpoint{aws.ToString(e.Address), int(aws.ToInt32(e.Port))}
}

// groupEndpoints returns the primary and reader endpoints of a cluster-mode-off group.
func groupEndpoints(t *testing.T, name string) (primary, reader endpoint) {
	t.Helper()
	out, err := clients(t).ec.DescribeReplicationGroups(context.Background(), &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	ng := out.ReplicationGroups[0].NodeGroups[0]
	return toEndpoint(ng.PrimaryEndpoint), toEndpoint(ng.ReaderEndpoint)
}

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

// waitAvailable polls the group until the modification it is in has finished.
func waitAvailable(ctx context.Context, t *testing.T, name string) {
	t.Helper()
	err := acctest.Eventually(ctx, 30*time.Second, func(ctx context.Context) error {
		out, err := clients(t).ec.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})
		if err != nil {
			return err
		}
		if s := aws.ToString(out.ReplicationGroups[0].Status); s != "available" {
			return fmt.Errorf("status %s", s)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

const (
	tokenA = "Token-A-0123456789abcdef"
	tokenB = "Token-B-0123456789abcdef"
	tokenC = "Token-C-0123456789abcdef"
)

func tokenStack(name, token string, version int) stackConfig {
	cfg := stackConfig{Name: name, NodeType: "cache.t4g.small", Replicas: 1}
	cfg.Security = fmt.Sprintf("    auth_token_wo = %q\n    auth_token_wo_version = %d", token, version)
	return cfg
}

// TestAccDataPlane_tlsAuthAndRotation: TLS only (plaintext refused), the AUTH token accepted
// and a wrong one refused, ElastiCache's restricted commands refused, replicas serving reads
// through the reader endpoint; then a rotation through the API (ROTATE: both tokens work;
// SET: only the new one) and one through the stack (a new token version: only it works).
func TestAccDataPlane_tlsAuthAndRotation(t *testing.T) {
	acctest.PreCheck(t)
	dp := acctest.RequireDataPlane(t)
	name := "acc-dp-auth"
	ctx := context.Background()
	connect := func(token string, tls bool) *redis.Client {
		p, _ := groupEndpoints(t, name)
		return dp.Redis(t, p.Host, p.Port, acctest.RedisOptions{TLS: tls, Password: token})
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
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkDestroyed(t, name),
		Steps: []resource.TestStep{
			{
				Config: tokenStack(name, tokenA, 1).HCL(t),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("port"), knownvalue.Int64Exact(6379)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkEndpointsMatchState(t, name),
					func(*terraform.State) error {
						wantErrContaining(t, "plaintext", pingErr(ctx, connect(tokenA, false)), "EOF", "reset", "closed", "broken pipe")
						wantErrContaining(t, "no token", pingErr(ctx, connect("", true)), "NOAUTH")
						wantErrContaining(t, "wrong token", pingErr(ctx, connect("Wrong-0123456789abcdef", true)), "WRONGPASS")
						c := connect(tokenA, true)
						wantErrContaining(t, "CONFIG GET", c.ConfigGet(ctx, "maxmemory").Err(), "unknown command")
						wantErrContaining(t, "SHUTDOWN", c.Do(ctx, "SHUTDOWN").Err(), "unknown command")
						checkReaderServesReplicaReads(ctx, t, dp, name, tokenA)
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
		},
	})
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

// rotateThroughAPI rotates the token with ModifyReplicationGroup as AWS documents it:
// ROTATE adds the new token (both work), SET leaves only the new one.
func rotateThroughAPI(ctx context.Context, t *testing.T, name string, onlyWorks func(string, ...string)) {
	t.Helper()
	ec := clients(t).ec
	for _, step := range []ectypes.AuthTokenUpdateStrategyType{ectypes.AuthTokenUpdateStrategyTypeRotate, ectypes.AuthTokenUpdateStrategyTypeSet} {
		_, err := ec.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(name),
			AuthToken: aws.String(tokenB), AuthTokenUpdateStrategy: step, ApplyImmediately: aws.Bool(true)})
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		waitAvailable(ctx, t, name)
		if step == ectypes.AuthTokenUpdateStrategyTypeRotate {
			onlyWorks(tokenA)
			onlyWorks(tokenB)
		} else {
			onlyWorks(tokenB, tokenA)
		}
	}
}
