package acctest

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestNetwork is where acceptance-test stacks are placed: subnets in several AZs of one VPC
// and an application security group that stacks admit.
type TestNetwork struct {
	VpcID      string
	SubnetIDs  []string
	AppGroupID string
}

var (
	networkOnce sync.Once
	network     TestNetwork
	networkErr  error
)

// Network returns the test network. Against the emulator it uses the default VPC's subnets;
// against AWS set ELASTICACHE_TEST_SUBNET_IDS (comma separated) to private subnets.
func Network(t *testing.T) TestNetwork {
	t.Helper()
	PreCheck(t)
	networkOnce.Do(func() { network, networkErr = discoverNetwork(context.Background()) })
	if networkErr != nil {
		t.Fatalf("test network: %v", networkErr)
	}
	return network
}

// AWSConfigFromEnv loads the SDK configuration from the environment Main prepared.
func AWSConfigFromEnv(ctx context.Context) (aws.Config, error) {
	return config.LoadDefaultConfig(ctx)
}

func discoverNetwork(ctx context.Context) (TestNetwork, error) {
	cfg, err := AWSConfigFromEnv(ctx)
	if err != nil {
		return TestNetwork{}, err
	}
	client := ec2.NewFromConfig(cfg)
	var n TestNetwork
	if ids := os.Getenv("ELASTICACHE_TEST_SUBNET_IDS"); ids != "" {
		n.SubnetIDs = strings.Split(ids, ",")
	} else {
		vpcs, err := client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("is-default"), Values: []string{"true"}}}})
		if err != nil || len(vpcs.Vpcs) == 0 {
			return n, fmt.Errorf("no default VPC (set ELASTICACHE_TEST_SUBNET_IDS): %v", err)
		}
		subnets, err := client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{aws.ToString(vpcs.Vpcs[0].VpcId)}}}})
		if err != nil {
			return n, err
		}
		sort.Slice(subnets.Subnets, func(i, j int) bool {
			return aws.ToString(subnets.Subnets[i].AvailabilityZone) < aws.ToString(subnets.Subnets[j].AvailabilityZone)
		})
		for _, s := range subnets.Subnets[:min(3, len(subnets.Subnets))] {
			n.SubnetIDs = append(n.SubnetIDs, aws.ToString(s.SubnetId))
		}
	}
	out, err := client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: n.SubnetIDs[:1]})
	if err != nil || len(out.Subnets) == 0 {
		return n, fmt.Errorf("describe subnets: %v", err)
	}
	n.VpcID = aws.ToString(out.Subnets[0].VpcId)
	const appGroup = "acctest-app"
	found, err := client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: aws.String("group-name"), Values: []string{appGroup}}, {Name: aws.String("vpc-id"), Values: []string{n.VpcID}},
	}})
	if err != nil {
		return n, err
	}
	if len(found.SecurityGroups) > 0 {
		n.AppGroupID = aws.ToString(found.SecurityGroups[0].GroupId)
		return n, nil
	}
	created, err := client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
		GroupName: aws.String(appGroup), Description: aws.String("application clients of acceptance-test caches"), VpcId: aws.String(n.VpcID),
	})
	if err != nil {
		return n, err
	}
	n.AppGroupID = aws.ToString(created.GroupId)
	return n, nil
}

// HCLList renders strings as an HCL list literal.
func HCLList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
