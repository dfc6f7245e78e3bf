package test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
)

// network is where the tests place the caches: subnets of one VPC in several AZs, and an
// application security group the caches admit.
type network = emulator.Network

func awsConfig(ctx context.Context) (aws.Config, error) {
	return config.LoadDefaultConfig(ctx) // AWS_ENDPOINT_URL, AWS_REGION, credentials: set by TestMain
}

// setupNetwork finds the default VPC's subnets (or ELASTICACHE_TEST_SUBNET_IDS) and creates an
// application security group for this run; cleanup deletes it.
func setupNetwork(ctx context.Context) (network, func(), error) {
	cfg, err := awsConfig(ctx)
	if err != nil {
		return network{}, nil, err
	}
	client := ec2.NewFromConfig(cfg)
	n, err := emulator.PrepareNetwork(ctx, client, uniqueName("tt-app"))
	if err != nil {
		return n, nil, err
	}
	cleanup := func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = n.DeleteAppGroup(ctx, client)
	}
	if len(n.SubnetIDs) < 2 {
		cleanup()
		return n, nil, fmt.Errorf("need subnets in at least two AZs, found %v", n.SubnetIDs)
	}
	return n, cleanup, nil
}

// uniqueName returns prefix-xxxxx, a stack name no other test (or earlier run against a shared
// endpoint) uses.
func uniqueName(prefix string) string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 5)
	for i := range b {
		b[i] = letters[rand.IntN(len(letters))]
	}
	return prefix + "-" + string(b)
}

// awsClients are the SDK clients the assertions use.
type awsClients struct {
	ElastiCache *elasticache.Client
	EC2         *ec2.Client
	CloudWatch  *cloudwatch.Client
}

func newClients(t *testing.T) awsClients {
	t.Helper()
	cfg, err := awsConfig(context.Background())
	if err != nil {
		t.Fatalf("aws config: %v", err)
	}
	return awsClients{elasticache.NewFromConfig(cfg), ec2.NewFromConfig(cfg), cloudwatch.NewFromConfig(cfg)}
}

// replicationGroup describes one replication group.
func (c awsClients) replicationGroup(t *testing.T, id string) ectypes.ReplicationGroup {
	t.Helper()
	out, err := c.ElastiCache.DescribeReplicationGroups(context.Background(), &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)})
	if err != nil || len(out.ReplicationGroups) != 1 {
		t.Fatalf("DescribeReplicationGroups %s: %v", id, err)
	}
	return out.ReplicationGroups[0]
}

// replicationGroupGone reports whether DescribeReplicationGroups answers that the group does not
// exist; err is what the call returned, for the message when it still does.
func (c awsClients) replicationGroupGone(ctx context.Context, id string) (bool, error) {
	_, err := c.ElastiCache.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)})
	var notFound *ectypes.ReplicationGroupNotFoundFault
	return errors.As(err, &notFound), err
}

// parameter returns a parameter's value in a cache parameter group (DescribeCacheParameters,
// all pages).
func (c awsClients) parameter(t *testing.T, group, name string) string {
	t.Helper()
	p := elasticache.NewDescribeCacheParametersPaginator(c.ElastiCache, &elasticache.DescribeCacheParametersInput{CacheParameterGroupName: aws.String(group)})
	for _, page := range allPages(t, "DescribeCacheParameters "+group, p) {
		for _, param := range page.Parameters {
			if aws.ToString(param.ParameterName) == name {
				return aws.ToString(param.ParameterValue)
			}
		}
	}
	t.Fatalf("parameter group %s has no parameter %s", group, name)
	return ""
}

// ingressRules renders a security group's ingress rules as "tcp/6379 from sg-..." /
// "tcp/6379 from 10.0.0.0/16", sorted.
func (c awsClients) ingressRules(t *testing.T, groupID string) []string {
	t.Helper()
	out, err := c.EC2.DescribeSecurityGroups(context.Background(), &ec2.DescribeSecurityGroupsInput{GroupIds: []string{groupID}})
	if err != nil || len(out.SecurityGroups) != 1 {
		t.Fatalf("DescribeSecurityGroups %s: %v", groupID, err)
	}
	var rules []string
	for _, perm := range out.SecurityGroups[0].IpPermissions {
		ports := fmt.Sprintf("%s/%d", aws.ToString(perm.IpProtocol), aws.ToInt32(perm.FromPort))
		if aws.ToInt32(perm.ToPort) != aws.ToInt32(perm.FromPort) {
			ports += fmt.Sprintf("-%d", aws.ToInt32(perm.ToPort))
		}
		for _, pair := range perm.UserIdGroupPairs {
			rules = append(rules, ports+" from "+aws.ToString(pair.GroupId))
		}
		for _, r := range perm.IpRanges {
			rules = append(rules, ports+" from "+aws.ToString(r.CidrIp))
		}
		for _, r := range perm.Ipv6Ranges {
			rules = append(rules, ports+" from "+aws.ToString(r.CidrIpv6))
		}
	}
	sort.Strings(rules)
	return rules
}

// alarms returns the metric alarms whose names start with prefix, by name.
func (c awsClients) alarms(t *testing.T, prefix string) map[string]cwtypes.MetricAlarm {
	t.Helper()
	out := map[string]cwtypes.MetricAlarm{}
	p := cloudwatch.NewDescribeAlarmsPaginator(c.CloudWatch, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String(prefix)})
	for _, page := range allPages(t, "DescribeAlarms "+prefix, p) {
		for _, a := range page.MetricAlarms {
			out[aws.ToString(a.AlarmName)] = a
		}
	}
	return out
}

// alarmsBySuffix keeps the alarms whose names end with "/"+key (e.g. "evictions").
func alarmsBySuffix(all map[string]cwtypes.MetricAlarm, key string) []cwtypes.MetricAlarm {
	var out []cwtypes.MetricAlarm
	for name, a := range all {
		if strings.HasSuffix(name, "/"+key) {
			out = append(out, a)
		}
	}
	return out
}

// paginator is an SDK paginator; NextPage takes the service's option functions.
type paginator[Out, Opt any] interface {
	HasMorePages() bool
	NextPage(context.Context, ...func(*Opt)) (*Out, error)
}

// allPages reads every page of p; an error stops the test, naming what was read.
func allPages[Out, Opt any](t *testing.T, what string, p paginator[Out, Opt]) []*Out {
	t.Helper()
	var pages []*Out
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		pages = append(pages, page)
	}
	return pages
}
