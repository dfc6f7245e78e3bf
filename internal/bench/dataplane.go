package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/redis/go-redis/v9"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
)

// dataPlaneFigure is the one data-plane figure: on an emulator with engines, how long a
// quickstart-shaped replication group (1 shard, 2 replicas, TLS) takes from the first
// DescribeReplicationGroups that answers `available` to the first PONG over TLS on its primary
// endpoint. The emulator starts the engines on that first connection (lazily), so the figure
// includes starting three redis-servers and replication; the describe's duration is reported too.
type dataPlaneFigure struct {
	Skipped            string  `json:"skipped,omitempty"`
	AvailableToPongMS  float64 `json:"available_to_first_pong_ms"`
	AvailableDescribeS float64 `json:"describe_available_seconds"`
}

func measureDataPlane(work string) (*dataPlaneFigure, error) {
	emu, err := startEmulator(filepath.Join(work, "emulator-dataplane.log"), "auto")
	if err != nil {
		return nil, err
	}
	defer func() { _ = emu.Stop() }()
	dp, err := emu.DataPlane(context.Background())
	if err != nil {
		return nil, err
	}
	if !dp.Enabled {
		return &dataPlaneFigure{Skipped: "data plane " + dp.Reason}, nil
	}
	ctx := context.Background()
	ec := elasticache.NewFromConfig(emulator.AWSConfig(ctx, emu.URL))
	if _, err := ec.CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{
		ReplicationGroupId: aws.String("bench-dataplane"), ReplicationGroupDescription: aws.String("bench"),
		Engine: aws.String("valkey"), CacheNodeType: aws.String("cache.r7g.large"), NumCacheClusters: aws.Int32(3),
		ReplicasPerNodeGroup: aws.Int32(2), AutomaticFailoverEnabled: aws.Bool(true), TransitEncryptionEnabled: aws.Bool(true),
	}); err != nil {
		return nil, err
	}
	var host string
	var port int
	var started, available time.Time
	for host == "" {
		started = time.Now()
		out, err := ec.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String("bench-dataplane")})
		if err != nil {
			return nil, err
		}
		available = time.Now()
		if rg := out.ReplicationGroups[0]; aws.ToString(rg.Status) == "available" && rg.NodeGroups[0].PrimaryEndpoint != nil {
			host, port = aws.ToString(rg.NodeGroups[0].PrimaryEndpoint.Address), int(aws.ToInt32(rg.NodeGroups[0].PrimaryEndpoint.Port))
		}
	}
	tlsConfig, err := dp.TLSConfig()
	if err != nil {
		return nil, err
	}
	pong, err := firstPong(ctx, tlsConfig, net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return nil, err
	}
	return &dataPlaneFigure{AvailableToPongMS: round(float64(pong.Sub(available).Microseconds())/1000, 1),
		AvailableDescribeS: round(available.Sub(started).Seconds(), 2)}, nil
}

// firstPong dials until the endpoint answers PING (polling with backoff) and returns when.
func firstPong(ctx context.Context, tlsConfig *tls.Config, addr string) (time.Time, error) {
	c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, MaxRetries: -1, TLSConfig: tlsConfig})
	defer c.Close()
	delay := time.Millisecond
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := c.Ping(ctx).Err()
		if err == nil {
			return time.Now(), nil
		}
		if time.Now().After(deadline) {
			return time.Time{}, fmt.Errorf("no PONG from %s: %w", addr, err)
		}
		time.Sleep(delay)
		delay = min(delay*2, 100*time.Millisecond)
	}
}
