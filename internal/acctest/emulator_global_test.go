package acctest

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

// The second region of the global datastore tests: one emulator serves every region, each
// with its own state, chosen by the SigV4 credential scope as in AWS.
const drRegion = "us-west-2"

func ecClientIn(t *testing.T, region string) *elasticache.Client {
	cfg := testConfig(t)
	cfg.Region = region
	return elasticache.NewFromConfig(cfg, func(o *elasticache.Options) { o.Retryer = fastRetries() })
}

// globalRG creates an available group of a node type global datastores accept (deleted at cleanup).
func globalRG(t *testing.T, c *elasticache.Client, nodeType string) string {
	t.Helper()
	id := newRG(t, c, 2, func(in *elasticache.CreateReplicationGroupInput) { in.CacheNodeType = aws.String(nodeType) })
	waitRGAvailable(t, c, id)
	return id
}

func describeGlobal(t *testing.T, c *elasticache.Client, id string) (types.GlobalReplicationGroup, error) {
	out, err := c.DescribeGlobalReplicationGroups(testCtx(t), &elasticache.DescribeGlobalReplicationGroupsInput{
		GlobalReplicationGroupId: aws.String(id), ShowMemberInfo: aws.Bool(true)})
	if err != nil {
		return types.GlobalReplicationGroup{}, err
	}
	return out.GlobalReplicationGroups[0], nil
}

// waitGlobal polls (with backoff) until the datastore is in one of the statuses; "" waits until
// it is gone.
func waitGlobal(t *testing.T, c *elasticache.Client, id string, statuses ...string) types.GlobalReplicationGroup {
	t.Helper()
	delay := 20 * time.Millisecond
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); delay = min(2*delay, 500*time.Millisecond) {
		g, err := describeGlobal(t, c, id)
		for _, s := range statuses {
			if (s == "" && apiCode(err) == "GlobalReplicationGroupNotFoundFault") || (err == nil && aws.ToString(g.Status) == s) {
				return g
			}
		}
		if err != nil && apiCode(err) != "GlobalReplicationGroupNotFoundFault" {
			t.Fatal(err)
		}
		time.Sleep(delay) // polling backoff, not a fixed wait
	}
	t.Fatalf("global replication group %s never reached %v", id, statuses)
	return types.GlobalReplicationGroup{}
}

// newGlobal makes primary the primary of a new global datastore; at cleanup the datastore is
// deleted (after its secondaries left), before the groups' own cleanups run.
func newGlobal(t *testing.T, c *elasticache.Client, primary string) string {
	t.Helper()
	out, err := c.CreateGlobalReplicationGroup(testCtx(t), &elasticache.CreateGlobalReplicationGroupInput{
		GlobalReplicationGroupIdSuffix: aws.String(uniqueName("gds")), PrimaryReplicationGroupId: aws.String(primary)})
	mustNoErr(t, err)
	id := aws.ToString(out.GlobalReplicationGroup.GlobalReplicationGroupId)
	t.Cleanup(func() { deleteGlobal(t, c, id) })
	waitGlobal(t, c, id, "primary-only")
	return id
}

func deleteGlobal(t *testing.T, c *elasticache.Client, id string) {
	t.Helper()
	g := waitGlobal(t, c, id, "primary-only", "available", "")
	if g.GlobalReplicationGroupId == nil {
		return
	}
	for _, m := range g.Members {
		if strings.EqualFold(aws.ToString(m.Role), "secondary") {
			_, err := c.DisassociateGlobalReplicationGroup(testCtx(t), &elasticache.DisassociateGlobalReplicationGroupInput{
				GlobalReplicationGroupId: aws.String(id), ReplicationGroupId: m.ReplicationGroupId, ReplicationGroupRegion: m.ReplicationGroupRegion})
			mustNoErr(t, err)
			waitGlobal(t, c, id, "primary-only", "available")
		}
	}
	_, err := c.DeleteGlobalReplicationGroup(testCtx(t), &elasticache.DeleteGlobalReplicationGroupInput{
		GlobalReplicationGroupId: aws.String(id), RetainPrimaryReplicationGroup: aws.Bool(true)})
	mustNoErr(t, err)
	waitGlobal(t, c, id, "")
}

// joinGlobal creates a secondary of the datastore in c's region (deleted at cleanup: it leaves
// the datastore first).
func joinGlobal(t *testing.T, c *elasticache.Client, gid string, mutate func(*elasticache.CreateReplicationGroupInput)) (string, error) {
	t.Helper()
	id := uniqueName("gsec")
	in := &elasticache.CreateReplicationGroupInput{ReplicationGroupId: aws.String(id), ReplicationGroupDescription: aws.String("secondary"),
		GlobalReplicationGroupId: aws.String(gid), NumCacheClusters: aws.Int32(2)}
	if mutate != nil {
		mutate(in)
	}
	_, err := c.CreateReplicationGroup(testCtx(t), in)
	if err != nil {
		return id, err
	}
	t.Cleanup(func() {
		rg := waitRGAvailable(t, c, id)
		info := rg.GlobalReplicationGroupInfo
		if info != nil && strings.EqualFold(aws.ToString(info.GlobalReplicationGroupMemberRole), "primary") {
			deleteGlobal(t, c, aws.ToString(info.GlobalReplicationGroupId)) // a failover made it the primary
		} else if info != nil && info.GlobalReplicationGroupId != nil {
			region := c.Options().Region
			_, err := c.DisassociateGlobalReplicationGroup(testCtx(t), &elasticache.DisassociateGlobalReplicationGroupInput{
				GlobalReplicationGroupId: info.GlobalReplicationGroupId, ReplicationGroupId: aws.String(id), ReplicationGroupRegion: aws.String(region)})
			mustNoErr(t, err)
			waitGlobal(t, c, aws.ToString(info.GlobalReplicationGroupId), "primary-only", "available", "")
		}
		_, err := c.DeleteReplicationGroup(testCtx(t), &elasticache.DeleteReplicationGroupInput{ReplicationGroupId: aws.String(id)})
		mustNoErr(t, err)
		waitRGDeleted(t, c, id)
	})
	waitRGAvailable(t, c, id)
	return id, nil
}

func roleOf(g types.GlobalReplicationGroup, region string) string {
	for _, m := range g.Members {
		if aws.ToString(m.ReplicationGroupRegion) == region {
			return strings.ToLower(aws.ToString(m.Role))
		}
	}
	return ""
}

// TestEmulatorGlobalDatastore walks a global datastore through its life: two regions with
// separate state, the prefixed id, a secondary that inherits the primary's settings, a change
// of the whole datastore reaching both regions, a failover, and the delete order AWS enforces.
func TestEmulatorGlobalDatastore(t *testing.T) {
	east, west := ecClient(t), ecClientIn(t, drRegion)
	primary := globalRG(t, east, "cache.r7g.large")
	if _, err := west.DescribeReplicationGroups(testCtx(t), &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(primary)}); apiCode(err) != "ReplicationGroupNotFoundFault" {
		t.Fatalf("a group of us-east-1 is visible in %s: %v", drRegion, err)
	}
	gid := newGlobal(t, east, primary)
	if !strings.HasPrefix(gid, "ldgnf-") { // "global-datastore-id-region-prefix"
		t.Fatalf("global datastore id %q lacks the us-east-1 prefix ldgnf-", gid)
	}
	secondary, err := joinGlobal(t, west, gid, nil)
	mustNoErr(t, err)
	g := waitGlobal(t, west, gid, "available")
	if roleOf(g, "us-east-1") != "primary" || roleOf(g, drRegion) != "secondary" || len(g.Members) != 2 {
		t.Fatalf("members: %+v", g.Members)
	}
	sec := describeRG(t, west, secondary)
	if aws.ToString(sec.CacheNodeType) != "cache.r7g.large" || aws.ToString(sec.Engine) != "valkey" || !strings.HasPrefix(aws.ToString(sec.ARN), "arn:aws:elasticache:"+drRegion+":") {
		t.Fatalf("secondary did not inherit the primary's settings or region: %+v", sec)
	}

	t.Run("a change of the datastore reaches every region", func(t *testing.T) {
		_, err := east.ModifyGlobalReplicationGroup(testCtx(t), &elasticache.ModifyGlobalReplicationGroupInput{
			GlobalReplicationGroupId: aws.String(gid), ApplyImmediately: aws.Bool(true), CacheNodeType: aws.String("cache.r7g.xlarge")})
		mustNoErr(t, err)
		waitGlobal(t, east, gid, "available")
		for _, rg := range []types.ReplicationGroup{waitRGAvailable(t, east, primary), waitRGAvailable(t, west, secondary)} {
			if aws.ToString(rg.CacheNodeType) != "cache.r7g.xlarge" {
				t.Fatalf("%s still %s", aws.ToString(rg.ReplicationGroupId), aws.ToString(rg.CacheNodeType))
			}
		}
	})
	t.Run("failover swaps the roles", func(t *testing.T) {
		_, err := west.FailoverGlobalReplicationGroup(testCtx(t), &elasticache.FailoverGlobalReplicationGroupInput{
			GlobalReplicationGroupId: aws.String(gid), PrimaryRegion: aws.String(drRegion), PrimaryReplicationGroupId: aws.String(secondary)})
		mustNoErr(t, err)
		g := waitGlobal(t, east, gid, "available")
		if roleOf(g, drRegion) != "primary" || roleOf(g, "us-east-1") != "secondary" {
			t.Fatalf("after failover: %+v", g.Members)
		}
		if info := describeRG(t, east, primary).GlobalReplicationGroupInfo; info == nil || !strings.EqualFold(aws.ToString(info.GlobalReplicationGroupMemberRole), "secondary") {
			t.Fatalf("old primary's GlobalReplicationGroupInfo: %+v", info)
		}
	})
	t.Run("delete order", func(t *testing.T) {
		_, err := east.DeleteGlobalReplicationGroup(testCtx(t), &elasticache.DeleteGlobalReplicationGroupInput{
			GlobalReplicationGroupId: aws.String(gid), RetainPrimaryReplicationGroup: aws.Bool(true)})
		expectCode(t, err, "InvalidGlobalReplicationGroupState") // "global-datastore-delete-needs-primary-only"
		_, err = west.DeleteReplicationGroup(testCtx(t), &elasticache.DeleteReplicationGroupInput{ReplicationGroupId: aws.String(secondary)})
		expectCode(t, err, "InvalidReplicationGroupState") // "global-datastore-member-delete-after-leaving"
	})
}

// TestEmulatorRulesGlobalDatastore shows each global datastore rule rejecting, accepting, and
// switched off.
func TestEmulatorRulesGlobalDatastore(t *testing.T) {
	east, west := ecClient(t), ecClientIn(t, drRegion)
	var gid, small, member string
	fixture := func(*testing.T) string { // lives for the whole test (cleanups on the outer t)
		if gid == "" {
			gid = newGlobal(t, east, globalRG(t, east, "cache.r6g.large"))
			member, _ = joinGlobal(t, west, gid, nil)
			waitGlobal(t, east, gid, "available")
		}
		return gid
	}
	modify := func(rt *ruleT, in elasticache.ModifyGlobalReplicationGroupInput) error {
		in.GlobalReplicationGroupId = aws.String(fixture(rt.T))
		_, err := east.ModifyGlobalReplicationGroup(testCtx(rt.T), &in)
		if err == nil {
			waitGlobal(rt.T, east, gid, "available")
		}
		return err
	}
	third := ecClientIn(t, "eu-west-1")
	runRuleCases(t, []ruleCase{
		{
			rule: "global-datastore-node-types", code: "InvalidParameterValue",
			reject: func(rt *ruleT) error {
				if small == "" {
					small = globalRG(t, east, "cache.t4g.medium")
				}
				return createGlobal(rt, east, small)
			},
			accept: func(rt *ruleT) error { return createGlobal(rt, east, globalRG(rt.T, east, "cache.m7g.large")) },
		},
		{
			rule: "global-datastore-secondary-inherits", code: "InvalidParameterCombination",
			reject: func(rt *ruleT) error {
				_, err := joinGlobal(rt.T, third, fixture(rt.T), func(in *elasticache.CreateReplicationGroupInput) { in.CacheNodeType = aws.String("cache.r6g.xlarge") })
				return err
			},
			accept: func(rt *ruleT) error {
				_, err := joinGlobal(rt.T, third, newGlobal(rt.T, east, globalRG(rt.T, east, "cache.r6g.large")), nil)
				return err
			},
		},
		{
			rule: "global-datastore-two-secondary-regions", code: "InvalidParameterValue",
			reject: func(rt *ruleT) error { _, err := joinGlobal(rt.T, west, fixture(rt.T), nil); return err },
			accept: func(rt *ruleT) error {
				_, err := joinGlobal(rt.T, west, newGlobal(rt.T, east, globalRG(rt.T, east, "cache.r6g.large")), nil)
				return err
			},
		},
		{
			rule: "global-datastore-member-settings-via-datastore", code: "InvalidParameterCombination",
			reject: func(rt *ruleT) error {
				fixture(rt.T)
				_, err := west.ModifyReplicationGroup(testCtx(rt.T), &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(member),
					ApplyImmediately: aws.Bool(true), CacheNodeType: aws.String("cache.r6g.xlarge")})
				if err == nil {
					waitRGAvailable(rt.T, west, member)
				}
				return err
			},
			accept: func(rt *ruleT) error {
				return modify(rt, elasticache.ModifyGlobalReplicationGroupInput{ApplyImmediately: aws.Bool(true), CacheNodeType: aws.String("cache.r6g.xlarge")})
			},
		},
		{
			rule: "global-datastore-modify-immediately", code: "InvalidParameterValue",
			reject: func(rt *ruleT) error {
				return modify(rt, elasticache.ModifyGlobalReplicationGroupInput{ApplyImmediately: aws.Bool(false), GlobalReplicationGroupDescription: aws.String("later")})
			},
			accept: func(rt *ruleT) error {
				return modify(rt, elasticache.ModifyGlobalReplicationGroupInput{ApplyImmediately: aws.Bool(true), GlobalReplicationGroupDescription: aws.String("now")})
			},
		},
		{
			rule: "global-datastore-modify-one-field", code: "InvalidParameterCombination",
			reject: func(rt *ruleT) error {
				return modify(rt, elasticache.ModifyGlobalReplicationGroupInput{ApplyImmediately: aws.Bool(true),
					GlobalReplicationGroupDescription: aws.String("two"), AutomaticFailoverEnabled: aws.Bool(true)})
			},
			accept: func(rt *ruleT) error {
				return modify(rt, elasticache.ModifyGlobalReplicationGroupInput{ApplyImmediately: aws.Bool(true), AutomaticFailoverEnabled: aws.Bool(true)})
			},
		},
	})
}

// createGlobal creates a global datastore from primary; one that gets created is deleted at cleanup.
func createGlobal(rt *ruleT, c *elasticache.Client, primary string) error {
	out, err := c.CreateGlobalReplicationGroup(testCtx(rt.T), &elasticache.CreateGlobalReplicationGroupInput{
		GlobalReplicationGroupIdSuffix: aws.String(uniqueName("gds")), PrimaryReplicationGroupId: aws.String(primary)})
	if err == nil {
		id := aws.ToString(out.GlobalReplicationGroup.GlobalReplicationGroupId)
		rt.Cleanup(func() { deleteGlobal(rt.T, c, id) })
		waitGlobal(rt.T, c, id, "primary-only")
	}
	return err
}
