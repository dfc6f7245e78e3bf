package awsops

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
	"github.com/cachestack/terraform-provider-elasticache/internal/tags"
)

func TestRenderedRulesMatchBlueprint(t *testing.T) {
	rule := blueprint.IngressRule{Port: 6379, SourceSecurityGroupID: "sg-1"}
	got := renderPermissions("ingress", "from", []ec2types.IpPermission{permissionFor(rule)})
	if !slices.Equal(got, []string{rule.String()}) {
		t.Fatalf("observed %v, desired %q: drift detection would never settle", got, rule.String())
	}
	cidr := blueprint.IngressRule{Port: 6379, CIDR: "10.0.0.0/16"}
	v6 := blueprint.IngressRule{Port: 6379, CIDR: "fd00::/8"}
	got = renderPermissions("ingress", "from", []ec2types.IpPermission{permissionFor(cidr), permissionFor(v6)})
	if !slices.Equal(got, []string{cidr.String(), v6.String()}) {
		t.Fatalf("got %v", got)
	}
}

func TestRenderAndSplitPermissions(t *testing.T) {
	all := ec2types.IpPermission{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}
	ranged := ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(1000), ToPort: aws.Int32(2000),
		UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String("sg-a")}, {GroupId: aws.String("sg-b")}},
		PrefixListIds:    []ec2types.PrefixListId{{PrefixListId: aws.String("pl-1")}}}
	got := renderPermissions("egress", "to", []ec2types.IpPermission{all})
	if !slices.Equal(got, []string{"egress all to 0.0.0.0/0"}) {
		t.Errorf("egress rendered %v", got)
	}
	got = renderPermissions("ingress", "from", []ec2types.IpPermission{ranged})
	want := []string{"ingress tcp/1000-2000 from sg-a", "ingress tcp/1000-2000 from sg-b", "ingress tcp/1000-2000 from pl-1"}
	if !slices.Equal(got, want) {
		t.Errorf("rendered %v, want %v", got, want)
	}
	if parts := splitPermission(ranged); len(parts) != 3 || len(parts[0].UserIdGroupPairs) != 1 || aws.ToInt32(parts[2].FromPort) != 1000 {
		t.Errorf("split into %+v", parts)
	}
}

func TestAllowedSourcesOnlyCountsTheCachePort(t *testing.T) {
	o := ObservedSecurityGroup{ingress: []ec2types.IpPermission{
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(6379), ToPort: aws.Int32(6379),
			UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String("sg-app")}},
			IpRanges:         []ec2types.IpRange{{CidrIp: aws.String("10.0.0.0/16")}}},
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}},
	}}
	sgs, cidrs := o.AllowedSources(6379)
	if !slices.Equal(sgs, []string{"sg-app"}) || !slices.Equal(cidrs, []string{"10.0.0.0/16"}) {
		t.Errorf("allowed %v %v", sgs, cidrs)
	}
}

func TestTagDiff(t *testing.T) {
	var c Clients
	set, remove := c.tagDiff(map[string]string{"a": "1", "b": "2", "c": "3"}, map[string]string{"a": "1", "b": "x", "d": "4"})
	if len(set) != 2 || set["b"] != "x" || set["d"] != "4" || !slices.Equal(remove, []string{"c"}) {
		t.Errorf("set %v remove %v", set, remove)
	}
	// ignore_tags: an ignored key AWS Organizations added is not removed, and one in the
	// desired tags is not written either.
	c.IgnoreTags = tags.IgnoreConfig{Keys: []string{"c"}, KeyPrefixes: []string{"org:"}}
	set, remove = c.tagDiff(map[string]string{"a": "1", "c": "3", "org:cc": "9"}, map[string]string{"a": "1", "org:x": "y"})
	if len(set) != 0 || len(remove) != 0 {
		t.Errorf("ignored keys touched: set %v remove %v", set, remove)
	}
	if owned := WithOwner("s", nil); owned[OwnerTagKey] != "s" {
		t.Errorf("owner tag missing: %v", owned)
	}
}

func TestVersionOffered(t *testing.T) {
	offered := []string{"6.2", "7.1", "1.6.22"}
	for v, want := range map[string]bool{"7.1": true, "1.6": true, "7.0": false, "6": true, "5": false, "1.6.2": false} {
		if got := VersionOffered(v, offered); got != want {
			t.Errorf("VersionOffered(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestUsageLimits(t *testing.T) {
	l := usageLimits(blueprint.ServerlessCacheSpec{Serverless: blueprint.Serverless{MaxDataStorageGB: 10}})
	if l.DataStorage == nil || aws.ToInt32(l.DataStorage.Maximum) != 10 || l.ECPUPerSecond != nil {
		t.Errorf("limits %+v", l)
	}
}

func TestComponentErrorKeepsTheCode(t *testing.T) {
	err := wrap("security group", "delete", "sg-1", errNotFound)
	if err.Error() != `delete security group "sg-1": not found` {
		t.Errorf("message %q", err.Error())
	}
	if wrap("x", "y", "z", nil) != nil {
		t.Error("wrap(nil) is not nil")
	}
}

func TestNextPollInterval(t *testing.T) {
	for elapsed, want := range map[string]string{"0s": "250ms", "1s": "250ms", "20s": "2s", "50s": "5s", "10m": "10s"} {
		e, _ := time.ParseDuration(elapsed)
		w, _ := time.ParseDuration(want)
		if got := nextPollInterval(e); got != w {
			t.Errorf("after %s: %s, want %s", elapsed, got, w)
		}
	}
}
