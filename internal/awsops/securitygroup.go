package awsops

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

const componentSecurityGroup = "security group"

// ObservedSecurityGroup is what AWS says about the stack's security group. Rules are rendered
// as strings ("ingress tcp/6379 from sg-..."), the form drift is reported in.
type ObservedSecurityGroup struct {
	ID    string
	VpcID string
	Rules []string
	Tags  map[string]string
	// permissions keep the raw rules so that sync can revoke exactly what it found.
	ingress []ec2types.IpPermission
	egress  []ec2types.IpPermission
}

// VpcOfSubnets returns the VPC the given subnets belong to (one DescribeSubnets call).
func (c *Clients) VpcOfSubnets(ctx context.Context, subnetIDs []string) (string, error) {
	out, err := c.EC2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: subnetIDs})
	if err != nil {
		return "", wrap("subnets", "describe", fmt.Sprint(subnetIDs), err)
	}
	vpcs := map[string]bool{}
	for _, s := range out.Subnets {
		vpcs[aws.ToString(s.VpcId)] = true
	}
	if len(vpcs) != 1 {
		return "", fmt.Errorf("network.subnet_ids must all be in one VPC; they span %d", len(vpcs))
	}
	return aws.ToString(out.Subnets[0].VpcId), nil
}

// EnsureSecurityGroup finds the stack's security group in the VPC (adopting it when it carries
// this stack's owner tag) or creates it, with its default egress rule removed.
func (c *Clients) EnsureSecurityGroup(ctx context.Context, stackName, vpcID string, spec blueprint.SecurityGroupSpec) (string, error) {
	found, err := c.EC2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: aws.String("group-name"), Values: []string{spec.Name}},
		{Name: aws.String("vpc-id"), Values: []string{vpcID}},
	}})
	if err != nil {
		return "", wrap(componentSecurityGroup, "find", spec.Name, err)
	}
	if len(found.SecurityGroups) > 0 { // group names are unique within a VPC
		g := found.SecurityGroups[0]
		if fromEC2Tags(g.Tags)[OwnerTagKey] != stackName {
			return "", wrap(componentSecurityGroup, "create", spec.Name, fmt.Errorf("a security group with this name already exists in %s and does not belong to stack %q (tag %s)", vpcID, stackName, OwnerTagKey))
		}
		tflog.Info(ctx, "adopting security group left by an earlier apply", map[string]any{"security_group_id": aws.ToString(g.GroupId)})
		return aws.ToString(g.GroupId), nil
	}
	out, err := c.EC2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
		GroupName:   aws.String(spec.Name),
		Description: aws.String(spec.Description),
		VpcId:       aws.String(vpcID),
		TagSpecifications: []ec2types.TagSpecification{{
			ResourceType: ec2types.ResourceTypeSecurityGroup,
			Tags:         ec2Tags(WithOwner(stackName, spec.Tags)),
		}},
	})
	if err != nil {
		return "", wrap(componentSecurityGroup, "create", spec.Name, err)
	}
	return aws.ToString(out.GroupId), nil
}

func isSecurityGroupNotFound(err error) bool {
	return hasCode(err, "InvalidGroup.NotFound", "InvalidGroupId.NotFound")
}

// ObserveNewSecurityGroup describes a group created moments ago, waiting a bounded time for EC2
// to show it (eventual consistency).
func (c *Clients) ObserveNewSecurityGroup(ctx context.Context, id string) (ObservedSecurityGroup, error) {
	var o ObservedSecurityGroup
	err := retryWhileNotVisible(ctx, "security group "+id+" to become visible", func(err error) bool { return errors.Is(err, errNotFound) }, func(ctx context.Context) error {
		var found bool
		var err error
		o, found, err = c.ObserveSecurityGroup(ctx, id)
		if err == nil && !found {
			return errNotFound
		}
		return err
	})
	return o, err
}

// ObserveSecurityGroup describes the group; found is false when it no longer exists.
func (c *Clients) ObserveSecurityGroup(ctx context.Context, id string) (ObservedSecurityGroup, bool, error) {
	out, err := c.EC2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}})
	if hasCode(err, "InvalidGroup.NotFound", "InvalidGroupId.NotFound") {
		return ObservedSecurityGroup{}, false, nil
	}
	if err != nil {
		return ObservedSecurityGroup{}, false, wrap(componentSecurityGroup, "describe", id, err)
	}
	if len(out.SecurityGroups) == 0 {
		return ObservedSecurityGroup{}, false, nil
	}
	g := out.SecurityGroups[0]
	o := ObservedSecurityGroup{
		ID:      aws.ToString(g.GroupId),
		VpcID:   aws.ToString(g.VpcId),
		Tags:    fromEC2Tags(g.Tags),
		ingress: g.IpPermissions,
		egress:  g.IpPermissionsEgress,
	}
	o.Rules = append(renderPermissions("ingress", "from", g.IpPermissions), renderPermissions("egress", "to", g.IpPermissionsEgress)...)
	sort.Strings(o.Rules)
	return o, true, nil
}

// SyncSecurityGroup makes the group's rules and tags match the spec, touching only what differs.
func (c *Clients) SyncSecurityGroup(ctx context.Context, stackName string, observed ObservedSecurityGroup, spec blueprint.SecurityGroupSpec) error {
	id := observed.ID
	want := map[string]blueprint.IngressRule{}
	for _, r := range spec.Ingress {
		want[r.String()] = r
	}
	// Revoke every observed permission that is not wanted, egress included: the cache never
	// initiates connections, so it has no egress rules at all.
	var revokeIn, revokeEg []ec2types.IpPermission
	have := map[string]bool{}
	for _, p := range observed.ingress {
		for _, single := range splitPermission(p) {
			key := renderPermissions("ingress", "from", []ec2types.IpPermission{single})[0]
			if _, ok := want[key]; ok {
				have[key] = true
				continue
			}
			revokeIn = append(revokeIn, single)
		}
	}
	for _, p := range observed.egress {
		revokeEg = append(revokeEg, splitPermission(p)...)
	}
	var authorize []ec2types.IpPermission
	for _, key := range sortedRuleKeys(want) {
		if !have[key] {
			authorize = append(authorize, permissionFor(want[key]))
		}
	}
	if len(revokeEg) > 0 {
		err := retryWhileNotVisible(ctx, "security group "+id+" to accept rules", isSecurityGroupNotFound, func(ctx context.Context) error {
			_, err := c.EC2.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(id), IpPermissions: revokeEg})
			return err
		})
		if err != nil {
			return wrap(componentSecurityGroup, "revoke egress of", id, err)
		}
	}
	if len(revokeIn) > 0 {
		if _, err := c.EC2.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: revokeIn}); err != nil {
			return wrap(componentSecurityGroup, "revoke ingress of", id, err)
		}
	}
	if len(authorize) > 0 {
		// A group created moments ago may be unknown to this call yet (EC2 is eventually
		// consistent): retried for a bounded time.
		err := retryWhileNotVisible(ctx, "security group "+id+" to accept rules", isSecurityGroupNotFound, func(ctx context.Context) error {
			_, err := c.EC2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: authorize})
			return err
		})
		if err != nil {
			return wrap(componentSecurityGroup, "authorize ingress on", id, err)
		}
	}
	set, remove := c.tagDiff(observed.Tags, WithOwner(stackName, spec.Tags))
	if len(set) > 0 {
		if _, err := c.EC2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: ec2Tags(set)}); err != nil {
			return wrap(componentSecurityGroup, "tag", id, err)
		}
	}
	if len(remove) > 0 {
		tags := make([]ec2types.Tag, 0, len(remove))
		for _, k := range remove {
			tags = append(tags, ec2types.Tag{Key: aws.String(k)})
		}
		if _, err := c.EC2.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{id}, Tags: tags}); err != nil {
			return wrap(componentSecurityGroup, "untag", id, err)
		}
	}
	return nil
}

// DeleteSecurityGroup deletes the group, retrying while AWS still sees it attached to a cache
// (DependencyViolation lasts a while after the cache is gone). A missing group is not an error.
func (c *Clients) DeleteSecurityGroup(ctx context.Context, id string) error {
	return pollUntil(ctx, "security group "+id+" to be released by the cache", func(ctx context.Context) (bool, string, error) {
		_, err := c.EC2.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)})
		switch {
		case err == nil, hasCode(err, "InvalidGroup.NotFound", "InvalidGroupId.NotFound"):
			return true, "deleted", nil
		case hasCode(err, "DependencyViolation"):
			return false, "still attached", nil
		default:
			return false, "", wrap(componentSecurityGroup, "delete", id, err)
		}
	})
}

func permissionFor(r blueprint.IngressRule) ec2types.IpPermission {
	p := ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(int32(r.Port)), ToPort: aws.Int32(int32(r.Port))}
	switch {
	case r.SourceSecurityGroupID != "":
		p.UserIdGroupPairs = []ec2types.UserIdGroupPair{{GroupId: aws.String(r.SourceSecurityGroupID), Description: aws.String("cache clients")}}
	case isIPv6(r.CIDR):
		p.Ipv6Ranges = []ec2types.Ipv6Range{{CidrIpv6: aws.String(r.CIDR), Description: aws.String("cache clients")}}
	default:
		p.IpRanges = []ec2types.IpRange{{CidrIp: aws.String(r.CIDR), Description: aws.String("cache clients")}}
	}
	return p
}

// splitPermission turns one permission with several sources into one permission per source,
// so each can be compared and revoked on its own.
func splitPermission(p ec2types.IpPermission) []ec2types.IpPermission {
	base := ec2types.IpPermission{IpProtocol: p.IpProtocol, FromPort: p.FromPort, ToPort: p.ToPort}
	var out []ec2types.IpPermission
	for _, g := range p.UserIdGroupPairs {
		q := base
		q.UserIdGroupPairs = []ec2types.UserIdGroupPair{{GroupId: g.GroupId}}
		out = append(out, q)
	}
	for _, r := range p.IpRanges {
		q := base
		q.IpRanges = []ec2types.IpRange{{CidrIp: r.CidrIp}}
		out = append(out, q)
	}
	for _, r := range p.Ipv6Ranges {
		q := base
		q.Ipv6Ranges = []ec2types.Ipv6Range{{CidrIpv6: r.CidrIpv6}}
		out = append(out, q)
	}
	for _, l := range p.PrefixListIds {
		q := base
		q.PrefixListIds = []ec2types.PrefixListId{{PrefixListId: l.PrefixListId}}
		out = append(out, q)
	}
	return out
}

// renderPermissions renders each source of each permission as one rule string. A TCP rule on a
// single port reads exactly like blueprint.IngressRule.String().
func renderPermissions(direction, preposition string, perms []ec2types.IpPermission) []string {
	var out []string
	for _, p := range perms {
		proto := aws.ToString(p.IpProtocol)
		ports := ""
		switch {
		case proto == "-1":
			proto, ports = "all", ""
		case aws.ToInt32(p.FromPort) == aws.ToInt32(p.ToPort):
			ports = fmt.Sprintf("/%d", aws.ToInt32(p.FromPort))
		default:
			ports = fmt.Sprintf("/%d-%d", aws.ToInt32(p.FromPort), aws.ToInt32(p.ToPort))
		}
		prefix := fmt.Sprintf("%s %s%s %s ", direction, proto, ports, preposition)
		for _, g := range p.UserIdGroupPairs {
			out = append(out, prefix+aws.ToString(g.GroupId))
		}
		for _, r := range p.IpRanges {
			out = append(out, prefix+aws.ToString(r.CidrIp))
		}
		for _, r := range p.Ipv6Ranges {
			out = append(out, prefix+aws.ToString(r.CidrIpv6))
		}
		for _, l := range p.PrefixListIds {
			out = append(out, prefix+aws.ToString(l.PrefixListId))
		}
	}
	return out
}

func sortedRuleKeys(m map[string]blueprint.IngressRule) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func isIPv6(cidr string) bool {
	for _, ch := range cidr {
		if ch == ':' {
			return true
		}
	}
	return false
}

// AllowedSources returns the sources admitted over TCP on the cache port, the shape the stack's
// network block is configured in.
func (o ObservedSecurityGroup) AllowedSources(port int) (securityGroupIDs, cidrs []string) {
	for _, p := range o.ingress {
		if aws.ToString(p.IpProtocol) != "tcp" || int(aws.ToInt32(p.FromPort)) != port || int(aws.ToInt32(p.ToPort)) != port {
			continue
		}
		for _, g := range p.UserIdGroupPairs {
			securityGroupIDs = append(securityGroupIDs, aws.ToString(g.GroupId))
		}
		for _, r := range p.IpRanges {
			cidrs = append(cidrs, aws.ToString(r.CidrIp))
		}
		for _, r := range p.Ipv6Ranges {
			cidrs = append(cidrs, aws.ToString(r.CidrIpv6))
		}
	}
	sort.Strings(securityGroupIDs)
	sort.Strings(cidrs)
	return securityGroupIDs, cidrs
}
