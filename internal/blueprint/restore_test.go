package blueprint

import (
	"strings"
	"testing"
)

func TestValidateRestoreFrom(t *testing.T) {
	serverless := func(in *Input) { in.Mode, in.Provisioned = ModeServerless, Provisioned{} }
	cases := []struct {
		name   string
		change func(*Input)
		attr   Attr
		want   string // "" for no problem
	}{
		{"snapshot name", func(in *Input) { in.RestoreFrom.SnapshotName = "nightly-1" }, "", ""},
		{"rdb files", func(in *Input) { in.RestoreFrom.RDBS3ARNs = []string{"arn:aws:s3:::bucket/dump.rdb"} }, "", ""},
		{"serverless from arns", func(in *Input) {
			serverless(in)
			in.RestoreFrom.SnapshotARNs = []string{"arn:aws:elasticache:us-east-1:123456789012:snapshot:nightly-1"}
		}, "", ""},
		{"two sources", func(in *Input) {
			in.RestoreFrom.SnapshotName, in.RestoreFrom.RDBS3ARNs = "a", []string{"arn:aws:s3:::b/k.rdb"}
		}, AttrRestoreFrom, "exactly one"},
		{"memcached", func(in *Input) { in.Engine = EngineMemcached; in.RestoreFrom.SnapshotName = "a" }, AttrRestoreFrom, "no snapshots"},
		{"arns on provisioned", func(in *Input) {
			in.RestoreFrom.SnapshotARNs = []string{"arn:aws:elasticache:us-east-1:123456789012:snapshot:a"}
		}, AttrRestoreFromSnapshotARNs, "restores a serverless cache"},
		{"name on serverless", func(in *Input) { serverless(in); in.RestoreFrom.SnapshotName = "a" }, AttrRestoreFromSnapshotName, "snapshot_arns"},
		{"rdb on serverless", func(in *Input) { serverless(in); in.RestoreFrom.RDBS3ARNs = []string{"arn:aws:s3:::b/k.rdb"} }, AttrRestoreFromRDBS3ARNs, "cannot be seeded"},
		{"not an s3 arn", func(in *Input) { in.RestoreFrom.RDBS3ARNs = []string{"s3://b/k.rdb"} }, AttrRestoreFromRDBS3ARNs, "not an S3 object ARN"},
		{"comma in key", func(in *Input) { in.RestoreFrom.RDBS3ARNs = []string{"arn:aws:s3:::b/k,1.rdb"} }, AttrRestoreFromRDBS3ARNs, "commas"},
		{"bad snapshot arn", func(in *Input) { serverless(in); in.RestoreFrom.SnapshotARNs = []string{"arn:aws:s3:::b/k.rdb"} }, AttrRestoreFromSnapshotARNs, "not an ElastiCache snapshot ARN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := cloneInput(validInput())
			c.change(&in)
			ps := validateRestoreFrom(in)
			if c.want == "" {
				if len(ps) != 0 {
					t.Fatalf("want no problem, got %v", ps)
				}
				return
			}
			for _, p := range ps {
				if p.Attribute == c.attr && strings.Contains(p.Detail+p.Summary, c.want) {
					return
				}
			}
			t.Fatalf("want a problem at %s containing %q, got %v", c.attr, c.want, ps)
		})
	}
}

func TestPreserveAcrossReplacements(t *testing.T) {
	with := func(mutate func(*Input)) Input {
		in := cloneInput(validInput())
		in.PreserveDataOnReplace = true
		mutate(&in)
		return in
	}
	cluster := func(in *Input) { in.Provisioned.Shards = 3 }
	toServerless := func(in *Input) { in.Mode = ModeServerless }
	cases := []struct {
		name         string
		prior, next  Input
		refused      string // "" when AWS can carry the data
		warningNames string
	}{
		{"port change", with(func(*Input) {}), with(func(in *Input) { in.Network.Port = 6390 }), "", "node-based cache before deleting it and restores the snapshot into the new node-based"},
		{"to serverless", with(func(*Input) {}), with(toServerless), "", "into the new serverless cache"},
		{"from serverless", with(toServerless), with(func(*Input) {}), "", "snapshots the serverless cache"},
		{"cluster mode into one shard", with(cluster), with(func(in *Input) { in.Network.Port = 6390 }), "only into cluster mode", ""},
		{"cluster mode into cluster mode", with(cluster), with(func(in *Input) { cluster(in); in.Network.Port = 6390 }), "", "data is kept"},
		{"valkey to redis", with(func(*Input) {}), with(func(in *Input) { in.Engine = EngineRedis }), "restores into valkey", ""},
		{"from memcached", with(func(in *Input) { in.Engine = EngineMemcached }), with(toServerless), "Memcached has no snapshots", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := PreserveRefusal(c.prior, c.next)
			if c.refused != "" {
				if p == nil || p.Attribute != AttrPreserveDataOnReplace || !strings.Contains(p.Detail, c.refused) {
					t.Fatalf("want refusal containing %q, got %v", c.refused, p)
				}
				return
			}
			if p != nil {
				t.Fatalf("want no refusal, got %v", p)
			}
			w := PreserveWarning(c.prior, c.next)
			if !strings.Contains(w, "data is kept through snapshot `agent-sessions-preserve`") || !strings.Contains(w, c.warningNames) {
				t.Fatalf("warning %q lacks %q", w, c.warningNames)
			}
		})
	}
	off := validInput()
	if w := PreserveWarning(off, off); w != DataLossConsequence {
		t.Errorf("without preserve_data_on_replace the warning is %q, want the data-loss consequence", w)
	}
}
