package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// EC2API holds the few EC2 operations a stack uses, as method values of an *ec2.Client.
//
// Why not the client itself: Clients reaches resources as an interface value, and because the
// plugin server links reflection-driven templates, the linker keeps every exported method of
// every concrete type reachable from it. An *ec2.Client field would link all of EC2's
// operations (about 20 MB of code); method values link only these.
type EC2API struct {
	DescribeSubnets               func(context.Context, *ec2.DescribeSubnetsInput, ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error)
	DescribeSecurityGroups        func(context.Context, *ec2.DescribeSecurityGroupsInput, ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupsOutput, error)
	CreateSecurityGroup           func(context.Context, *ec2.CreateSecurityGroupInput, ...func(*ec2.Options)) (*ec2.CreateSecurityGroupOutput, error)
	DeleteSecurityGroup           func(context.Context, *ec2.DeleteSecurityGroupInput, ...func(*ec2.Options)) (*ec2.DeleteSecurityGroupOutput, error)
	AuthorizeSecurityGroupIngress func(context.Context, *ec2.AuthorizeSecurityGroupIngressInput, ...func(*ec2.Options)) (*ec2.AuthorizeSecurityGroupIngressOutput, error)
	RevokeSecurityGroupIngress    func(context.Context, *ec2.RevokeSecurityGroupIngressInput, ...func(*ec2.Options)) (*ec2.RevokeSecurityGroupIngressOutput, error)
	RevokeSecurityGroupEgress     func(context.Context, *ec2.RevokeSecurityGroupEgressInput, ...func(*ec2.Options)) (*ec2.RevokeSecurityGroupEgressOutput, error)
	CreateTags                    func(context.Context, *ec2.CreateTagsInput, ...func(*ec2.Options)) (*ec2.CreateTagsOutput, error)
	DeleteTags                    func(context.Context, *ec2.DeleteTagsInput, ...func(*ec2.Options)) (*ec2.DeleteTagsOutput, error)
	// Options reports the client's configuration (endpoint, region, retryer).
	Options func() ec2.Options
}

// NewEC2API binds the operations to a configured client.
func NewEC2API(c *ec2.Client) *EC2API {
	return &EC2API{
		DescribeSubnets:               c.DescribeSubnets,
		DescribeSecurityGroups:        c.DescribeSecurityGroups,
		CreateSecurityGroup:           c.CreateSecurityGroup,
		DeleteSecurityGroup:           c.DeleteSecurityGroup,
		AuthorizeSecurityGroupIngress: c.AuthorizeSecurityGroupIngress,
		RevokeSecurityGroupIngress:    c.RevokeSecurityGroupIngress,
		RevokeSecurityGroupEgress:     c.RevokeSecurityGroupEgress,
		CreateTags:                    c.CreateTags,
		DeleteTags:                    c.DeleteTags,
		Options:                       c.Options,
	}
}
