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

// DualStackNetwork is a VPC with an IPv6 block and subnets carrying both an IPv4 and an IPv6
// block in two zones, for tests of network.type = "dual_stack"; Delete removes it.
type DualStackNetwork struct {
	VpcID     string
	SubnetIDs []string
	AZs       []string
}

// PrepareDualStackNetwork creates a dual-stack VPC (10.<octet>.0.0/16 with an Amazon-provided
// IPv6 /56) and one dual-stack subnet in each of the first two zones of the region.
func PrepareDualStackNetwork(ctx context.Context, client *ec2.Client, octet int) (DualStackNetwork, error) {
	var n DualStackNetwork
	vpc, err := client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(fmt.Sprintf("10.%d.0.0/16", octet)), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	if err != nil {
		return n, fmt.Errorf("create dual-stack VPC: %w", err)
	}
	n.VpcID = aws.ToString(vpc.Vpc.VpcId)
	described, err := client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{n.VpcID}})
	if err != nil || len(described.Vpcs) == 0 || len(described.Vpcs[0].Ipv6CidrBlockAssociationSet) == 0 {
		return n, fmt.Errorf("dual-stack VPC %s has no IPv6 block (err=%v)", n.VpcID, err)
	}
	block := aws.ToString(described.Vpcs[0].Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock) // x:y:z:w00::/56
	zones, err := client.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	if err != nil || len(zones.AvailabilityZones) < 2 {
		return n, fmt.Errorf("describe zones: %v", err)
	}
	prefix := strings.TrimSuffix(block, "00::/56")
	for i, z := range zones.AvailabilityZones[:2] {
		az := aws.ToString(z.ZoneName)
		s, err := client.CreateSubnet(ctx, &ec2.CreateSubnetInput{
			VpcId: aws.String(n.VpcID), AvailabilityZone: aws.String(az),
			CidrBlock: aws.String(fmt.Sprintf("10.%d.%d.0/24", octet, i+1)), Ipv6CidrBlock: aws.String(fmt.Sprintf("%s%02x::/64", prefix, i+1)),
		})
		if err != nil {
			return n, fmt.Errorf("create dual-stack subnet in %s: %w", az, err)
		}
		n.SubnetIDs, n.AZs = append(n.SubnetIDs, aws.ToString(s.Subnet.SubnetId)), append(n.AZs, az)
	}
	return n, nil
}

// Delete removes the subnets and the VPC.
func (n DualStackNetwork) Delete(ctx context.Context, client *ec2.Client) error {
	var errs []error
	for _, s := range n.SubnetIDs {
		_, err := client.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(s)})
		errs = append(errs, err)
	}
	if n.VpcID != "" {
		_, err := client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(n.VpcID)})
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
