package acctest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

// ruleCase shows one named rule of test/emulator/RULES.md: the call that breaks it is rejected
// with AWS's error code, the same call made to comply is accepted, and the breaking call gets
// through once the rule is switched off (so the rejection is this rule's and nothing else's).
type ruleCase struct {
	rule   string
	code   string             // the error code AWS answers
	reject func(*ruleT) error // breaks the rule
	accept func(*ruleT) error // the same call, complying
}

// ruleT carries what a rule case needs; resources it creates are removed at cleanup.
type ruleT struct {
	*testing.T
	ec  *elasticache.Client
	net testNet
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	emu := RequireEmulator(t)
	rt := &ruleT{T: t, ec: ecClient(t), net: newTestNet(t)}
	for _, rc := range cases {
		t.Run(rc.rule, func(t *testing.T) {
			sub := &ruleT{T: t, ec: rt.ec, net: rt.net}
			if code := apiCode(rc.reject(sub)); code != rc.code {
				t.Fatalf("breaking %s: got error code %q, want %q", rc.rule, code, rc.code)
			}
			if err := rc.accept(sub); err != nil {
				t.Fatalf("complying with %s: %v", rc.rule, err)
			}
			mustNoErr(t, emu.DisableRules(testCtx(t), []string{rc.rule}))
			t.Cleanup(func() { mustNoErr(t, emu.DisableRules(testCtx(t), nil)) })
			if code := apiCode(rc.reject(sub)); code == rc.code {
				t.Fatalf("%s switched off, the call is still rejected with %s", rc.rule, code)
			}
		})
	}
}

// rgInput is what createRG starts from and a rule case changes.
type rgInput = elasticache.CreateReplicationGroupInput

// creating is the call of a rule case that creates a replication group from createRG's base
// changed by mutate.
func creating(mutate func(*rgInput)) func(*ruleT) error {
	return func(rt *ruleT) error { return rt.createRG(mutate) }
}

// createRG creates a replication group from a base valid input changed by mutate; a group that
// gets created is deleted at cleanup.
func (rt *ruleT) createRG(mutate func(*elasticache.CreateReplicationGroupInput)) error {
	id := uniqueName("rule")
	in := &elasticache.CreateReplicationGroupInput{
		ReplicationGroupId: aws.String(id), ReplicationGroupDescription: aws.String("rule test"),
		Engine: aws.String("valkey"), CacheNodeType: aws.String("cache.t4g.micro"), NumCacheClusters: aws.Int32(2),
	}
	mutate(in)
	_, err := rt.ec.CreateReplicationGroup(testCtx(rt.T), in)
	if err == nil {
		rt.Cleanup(func() {
			waitRGAvailable(rt.T, rt.ec, id)
			deleteRG(rt.T, rt.ec, id)
		})
	}
	return err
}

// busyGroup returns a cache-cluster-mode-disabled group (created on first use) that is
// 'modifying' right now, put there by a tag change with the tag_modifying switch.
func (rt *ruleT) busyGroup(id *string) types.ReplicationGroup {
	if *id == "" {
		*id = newRG(rt.T, rt.ec, 2, nil)
	}
	withSwitches(rt.T, map[string]any{"tag_modifying": 2})
	rg := waitRGAvailable(rt.T, rt.ec, *id)
	_, err := rt.ec.AddTagsToResource(testCtx(rt.T), &elasticache.AddTagsToResourceInput{ResourceName: rg.ARN, Tags: []types.Tag{{Key: aws.String("busy"), Value: aws.String("1")}}})
	mustNoErr(rt.T, err)
	return rg
}

func TestEmulatorRules(t *testing.T) {
	var tagged, lagging string
	tag := func(rt *ruleT, rg types.ReplicationGroup) error {
		_, err := rt.ec.AddTagsToResource(testCtx(rt.T), &elasticache.AddTagsToResourceInput{ResourceName: rg.ARN, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
		return err
	}
	lag := func(rt *ruleT) error {
		if lagging == "" {
			lagging = newRG(rt.T, rt.ec, 2, nil)
		}
		withSwitches(rt.T, map[string]any{"member_lag": 2})
		waitRGAvailable(rt.T, rt.ec, lagging)
		waitMembersAvailable(rt.T, rt.ec, lagging)
		_, err := rt.ec.ModifyReplicationGroup(testCtx(rt.T), &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(lagging), ApplyImmediately: aws.Bool(true), ReplicationGroupDescription: aws.String("lag 2")})
		mustNoErr(rt.T, err)
		waitRGAvailable(rt.T, rt.ec, lagging)
		_, err = rt.ec.ModifyReplicationGroup(testCtx(rt.T), &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(lagging), ApplyImmediately: aws.Bool(true), ReplicationGroupDescription: aws.String("lag 3")})
		return err
	}
	runRuleCases(t, []ruleCase{
		{
			rule: "rg-tagging-needs-available", code: "InvalidReplicationGroupState",
			reject: func(rt *ruleT) error { return tag(rt, rt.busyGroup(&tagged)) },
			accept: func(rt *ruleT) error { return tag(rt, waitRGAvailable(rt.T, rt.ec, tagged)) },
		},
		{
			rule: "rg-modify-needs-available-members", code: "InvalidReplicationGroupState",
			reject: lag,
			accept: func(rt *ruleT) error {
				waitMembersAvailable(rt.T, rt.ec, lagging)
				_, err := rt.ec.ModifyReplicationGroup(testCtx(rt.T), &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(lagging), ApplyImmediately: aws.Bool(true), ReplicationGroupDescription: aws.String("lag 4")})
				return err
			},
		},
		{
			rule: "rg-multi-az-needs-failover", code: "InvalidParameterCombination",
			reject: creating(func(in *rgInput) { in.MultiAZEnabled = aws.Bool(true) }),
			accept: creating(func(in *rgInput) {
				in.MultiAZEnabled, in.AutomaticFailoverEnabled = aws.Bool(true), aws.Bool(true)
			}),
		},
		{
			rule: "rg-failover-needs-replica", code: "InvalidParameterCombination",
			reject: creating(func(in *rgInput) {
				in.NumCacheClusters, in.AutomaticFailoverEnabled = aws.Int32(1), aws.Bool(true)
			}),
			accept: creating(func(in *rgInput) { in.AutomaticFailoverEnabled = aws.Bool(true) }),
		},
		{
			rule: "rg-cluster-mode-needs-failover", code: "InvalidParameterCombination",
			reject: creating(func(in *rgInput) {
				in.NumCacheClusters, in.NumNodeGroups, in.ReplicasPerNodeGroup = nil, aws.Int32(2), aws.Int32(0)
				in.AutomaticFailoverEnabled = aws.Bool(false)
			}),
			accept: creating(func(in *rgInput) {
				in.NumCacheClusters, in.NumNodeGroups, in.ReplicasPerNodeGroup = nil, aws.Int32(2), aws.Int32(0)
				in.AutomaticFailoverEnabled = aws.Bool(true)
			}),
		},
		{
			rule: "rg-auth-token-needs-tls", code: "InvalidParameterCombination",
			reject: creating(func(in *rgInput) {
				in.AuthToken = aws.String("a-long-enough-token-123")
			}),
			accept: creating(func(in *rgInput) {
				in.AuthToken, in.TransitEncryptionEnabled = aws.String("a-long-enough-token-123"), aws.Bool(true)
			}),
		},
		{
			rule: "rg-kms-key-needs-at-rest-encryption", code: "InvalidParameterCombination",
			reject: creating(func(in *rgInput) { in.KmsKeyId = aws.String("alias/cache") }),
			accept: creating(func(in *rgInput) {
				in.KmsKeyId, in.AtRestEncryptionEnabled = aws.String("alias/cache"), aws.Bool(true)
			}),
		},
	})
}
