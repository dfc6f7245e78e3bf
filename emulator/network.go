package emulator

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// SubnetsEnv names the variable that lists the subnets (comma separated) tests place caches in
// when the endpoint has no default VPC (AWS accounts without one, LocalStack).
const SubnetsEnv = "ELASTICACHE_TEST_SUBNET_IDS"

// Network is where test stacks go: subnets in up to three AZs of one VPC, and an application
// security group the stacks admit.
type Network struct {
	VpcID      string   `json:"vpc_id"`
	SubnetIDs  []string `json:"subnet_ids"`
	AZs        []string `json:"azs"` // of SubnetIDs, in order
	AppGroupID string   `json:"app_group_id"`
	// CreatedAppGroup is true when PrepareNetwork created the group (the caller then deletes it).
	CreatedAppGroup bool `json:"-"`
}

// TFVars is the network as the quickstart's and the tier modules' variables.
func (n Network) TFVars() map[string]any {
	return map[string]any{"subnet_ids": n.SubnetIDs, "allowed_security_group_ids": []string{n.AppGroupID}}
}

// PrepareNetwork finds the test network of the endpoint client talks to: the subnets named by
// ELASTICACHE_TEST_SUBNET_IDS, else one subnet in each of the first three AZs (by name) of the
// default VPC; and the security group named appGroup in their VPC, created when missing (a
// group of that name created concurrently by another run is found, not duplicated).
func PrepareNetwork(ctx context.Context, client *ec2.Client, appGroup string) (Network, error) {
	var n Network
	var err error
	if ids := os.Getenv(SubnetsEnv); ids != "" {
		n.SubnetIDs = strings.Split(ids, ",")
	}
	if n.SubnetIDs, n.AZs, n.VpcID, err = subnets(ctx, client, n.SubnetIDs); err != nil {
		return n, err
	}
	if n.AppGroupID, err = findGroup(ctx, client, n.VpcID, appGroup); err != nil || n.AppGroupID != "" {
		return n, err
	}
	created, err := client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
		GroupName: aws.String(appGroup), VpcId: aws.String(n.VpcID),
		Description: aws.String("application clients of test caches"),
	})
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode() == "InvalidGroup.Duplicate" {
		n.AppGroupID, err = findGroup(ctx, client, n.VpcID, appGroup)
		return n, err
	}
	if err != nil {
		return n, fmt.Errorf("create application security group %s: %w", appGroup, err)
	}
	n.AppGroupID, n.CreatedAppGroup = aws.ToString(created.GroupId), true
	return n, nil
}

// DeleteAppGroup deletes the application group if PrepareNetwork created it.
func (n Network) DeleteAppGroup(ctx context.Context, client *ec2.Client) error {
	if !n.CreatedAppGroup {
		return nil
	}
	_, err := client.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(n.AppGroupID)})
	return err
}

// subnets describes the given subnets, or picks the default VPC's (one per AZ, the first three
// AZs by name), and returns them with their AZs and VPC.
func subnets(ctx context.Context, client *ec2.Client, ids []string) (subnetIDs, azs []string, vpc string, err error) {
	in := &ec2.DescribeSubnetsInput{SubnetIds: ids}
	if len(ids) == 0 {
		vpcs, err := client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("is-default"), Values: []string{"true"}}}})
		if err != nil {
			return nil, nil, "", fmt.Errorf("describe the default VPC: %w", err)
		}
		if len(vpcs.Vpcs) == 0 {
			return nil, nil, "", fmt.Errorf("no default VPC: set %s to subnets in two or more AZs", SubnetsEnv)
		}
		in = &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{aws.ToString(vpcs.Vpcs[0].VpcId)}}}}
	}
	out, err := client.DescribeSubnets(ctx, in)
	if err != nil {
		return nil, nil, "", fmt.Errorf("describe subnets: %w", err)
	}
	found := out.Subnets
	sort.SliceStable(found, func(i, j int) bool {
		return aws.ToString(found[i].AvailabilityZone) < aws.ToString(found[j].AvailabilityZone)
	})
	seen := map[string]bool{}
	for _, s := range found {
		az := aws.ToString(s.AvailabilityZone)
		if len(ids) == 0 && (seen[az] || len(seen) == 3) {
			continue
		}
		seen[az] = true
		subnetIDs, azs = append(subnetIDs, aws.ToString(s.SubnetId)), append(azs, az)
		vpc = aws.ToString(s.VpcId)
	}
	if len(subnetIDs) == 0 {
		return nil, nil, "", errors.New("no subnets found")
	}
	return subnetIDs, azs, vpc, nil
}

func findGroup(ctx context.Context, client *ec2.Client, vpc, name string) (string, error) {
	out, err := client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: aws.String("group-name"), Values: []string{name}}, {Name: aws.String("vpc-id"), Values: []string{vpc}},
	}})
	if err != nil {
		return "", fmt.Errorf("describe security group %s: %w", name, err)
	}
	if len(out.SecurityGroups) == 0 {
		return "", nil
	}
	return aws.ToString(out.SecurityGroups[0].GroupId), nil
}
