package awsops

import (
	"context"
	"fmt"
	"maps"
	"slices"
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
	err := untilVisible(ctx, componentSecurityGroup+" "+id, func(ctx context.Context) (found bool, err error) {
		o, found, err = c.ObserveSecurityGroup(ctx, id)
		return found, err
	})
	return o, err
}

// ObserveSecurityGroup describes the group; found is false when it no longer exists.
func (c *Clients) ObserveSecurityGroup(ctx context.Context, id string) (ObservedSecurityGroup, bool, error) {
	out, err := c.EC2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}})
	g, found, err := firstListed(componentSecurityGroup, id, err, isSecurityGroupNotFound, func() []ec2types.SecurityGroup { return out.SecurityGroups })
	if err != nil || !found {
		return ObservedSecurityGroup{}, false, err
	}
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
	gid := aws.String(id)
	revokeIn, revokeEg, authorize := ruleChanges(observed, spec)
	// A group created moments ago may be unknown to these calls yet (EC2 is eventually
	// consistent): they are retried for a bounded time.
	whenVisible := func(fn func(context.Context) error) func(context.Context) error {
		return func(ctx context.Context) error {
			return retryWhileNotVisible(ctx, "security group "+id+" to accept rules", isSecurityGroupNotFound, fn)
		}
	}
	set, remove := c.tagDiff(observed.Tags, WithOwner(stackName, spec.Tags))
	return runSteps(ctx, componentSecurityGroup, id, []step{
		{len(revokeEg) > 0, "revoke egress of", whenVisible(call(c.EC2.RevokeSecurityGroupEgress, &ec2.RevokeSecurityGroupEgressInput{GroupId: gid, IpPermissions: revokeEg}))},
		{len(revokeIn) > 0, "revoke ingress of", call(c.EC2.RevokeSecurityGroupIngress, &ec2.RevokeSecurityGroupIngressInput{GroupId: gid, IpPermissions: revokeIn})},
		{len(authorize) > 0, "authorize ingress on", whenVisible(call(c.EC2.AuthorizeSecurityGroupIngress, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: gid, IpPermissions: authorize}))},
		{len(set) > 0, "tag", call(c.EC2.CreateTags, &ec2.CreateTagsInput{Resources: []string{id}, Tags: ec2Tags(set)})},
		{len(remove) > 0, "untag", call(c.EC2.DeleteTags, &ec2.DeleteTagsInput{Resources: []string{id}, Tags: ec2TagKeys(remove)})},
	})
}

// ruleChanges compares the group's permissions with the spec's rules, one source at a time.
// Every observed permission that is not wanted is revoked, egress included: the cache never
// initiates connections, so it has no egress rules at all.
func ruleChanges(observed ObservedSecurityGroup, spec blueprint.SecurityGroupSpec) (revokeIn, revokeEg, authorize []ec2types.IpPermission) {
	want := map[string]blueprint.IngressRule{}
	for _, r := range spec.Ingress {
		want[r.String()] = r
	}
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
	for _, key := range slices.Sorted(maps.Keys(want)) {
		if !have[key] {
			authorize = append(authorize, permissionFor(want[key]))
		}
	}
	return revokeIn, revokeEg, authorize
}

// DeleteSecurityGroup deletes the group, retrying while AWS still sees it attached to a cache
// (DependencyViolation lasts a while after the cache is gone). A missing group is not an error.
func (c *Clients) DeleteSecurityGroup(ctx context.Context, id string) error {
	return deleteRetrying(ctx, componentSecurityGroup, id, call(c.EC2.DeleteSecurityGroup, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)}),
		isSecurityGroupNotFound, func(err error) bool { return hasCode(err, "DependencyViolation") })
}

// source is one source of a permission: what EC2 lists in one of four places.
type source struct {
	kind sourceKind
	id   string // group ID, CIDR or prefix list ID
}

type sourceKind int

const (
	sourceGroup sourceKind = iota
	sourceIPv4
	sourceIPv6
	sourcePrefixList
)

// sourcesOf lists the sources of a permission, security groups first.
func sourcesOf(p ec2types.IpPermission) []source {
	out := appendSources(nil, sourceGroup, p.UserIdGroupPairs, func(g ec2types.UserIdGroupPair) *string { return g.GroupId })
	out = appendSources(out, sourceIPv4, p.IpRanges, func(r ec2types.IpRange) *string { return r.CidrIp })
	out = appendSources(out, sourceIPv6, p.Ipv6Ranges, func(r ec2types.Ipv6Range) *string { return r.CidrIpv6 })
	return appendSources(out, sourcePrefixList, p.PrefixListIds, func(l ec2types.PrefixListId) *string { return l.PrefixListId })
}

func appendSources[T any](out []source, kind sourceKind, items []T, id func(T) *string) []source {
	for _, item := range items {
		out = append(out, source{kind, aws.ToString(id(item))})
	}
	return out
}

// permission is a permission of p's protocol and ports with this source alone.
func (s source) permission(p ec2types.IpPermission, description *string) ec2types.IpPermission {
	q := ec2types.IpPermission{IpProtocol: p.IpProtocol, FromPort: p.FromPort, ToPort: p.ToPort}
	id := aws.String(s.id)
	switch s.kind {
	case sourceGroup:
		q.UserIdGroupPairs = []ec2types.UserIdGroupPair{{GroupId: id, Description: description}}
	case sourceIPv4:
		q.IpRanges = []ec2types.IpRange{{CidrIp: id, Description: description}}
	case sourceIPv6:
		q.Ipv6Ranges = []ec2types.Ipv6Range{{CidrIpv6: id, Description: description}}
	case sourcePrefixList:
		q.PrefixListIds = []ec2types.PrefixListId{{PrefixListId: id, Description: description}}
	}
	return q
}

func permissionFor(r blueprint.IngressRule) ec2types.IpPermission {
	tcp := ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(int32(r.Port)), ToPort: aws.Int32(int32(r.Port))}
	src := source{sourceGroup, r.SourceSecurityGroupID}
	switch {
	case r.SourceSecurityGroupID != "":
	case isIPv6(r.CIDR):
		src = source{sourceIPv6, r.CIDR}
	default:
		src = source{sourceIPv4, r.CIDR}
	}
	return src.permission(tcp, aws.String("cache clients"))
}

// splitPermission turns one permission with several sources into one permission per source,
// so each can be compared and revoked on its own.
func splitPermission(p ec2types.IpPermission) []ec2types.IpPermission {
	var out []ec2types.IpPermission
	for _, src := range sourcesOf(p) {
		out = append(out, src.permission(p, nil))
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
		for _, src := range sourcesOf(p) {
			out = append(out, prefix+src.id)
		}
	}
	return out
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
		for _, src := range sourcesOf(p) {
			switch src.kind {
			case sourceGroup:
				securityGroupIDs = append(securityGroupIDs, src.id)
			case sourceIPv4, sourceIPv6:
				cidrs = append(cidrs, src.id)
			}
		}
	}
	sort.Strings(securityGroupIDs)
	sort.Strings(cidrs)
	return securityGroupIDs, cidrs
}
