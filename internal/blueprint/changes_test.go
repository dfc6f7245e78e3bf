package blueprint

import (
	"strings"
	"testing"
)

const (
	kmsA = "arn:aws:kms:eu-west-1:123456789012:key/aaaa"
	kmsB = "arn:aws:kms:eu-west-1:123456789012:key/bbbb"
)

func TestAssessUnchanged(t *testing.T) {
	prior := validInput()
	prior.Provisioned.Parameters = map[string]string{"timeout": "300"}
	prior.Security.AuthTokenConfigured = true
	prior.Security.AuthTokenVersion = 3
	planned := cloneInput(prior)
	a := Assess(prior, planned)
	if a.RequiresReplace() || len(a.Replace) != 0 || len(a.Warnings) != 0 {
		t.Fatalf("unchanged input: want an empty Assessment, got %+v", a)
	}
}

func TestAssessReplacement(t *testing.T) {
	tests := []struct {
		name   string
		prior  func(in *Input)
		change func(in *Input)
		attr   Attr
		why    []string
	}{
		{"mode", nil, func(in *Input) { in.Mode = ModeServerless }, "mode",
			[]string{"provisioned to serverless"}},
		{"engine valkey to redis", nil, func(in *Input) { in.Engine, in.EngineVersion = EngineRedis, "8.0" }, "engine",
			[]string{"valkey to redis", "only redis -> valkey"}},
		{"version downgrade", nil, func(in *Input) { in.EngineVersion = "7.2" }, "engine_version",
			[]string{"from 8.0 to 7.2", "cannot downgrade"}},
		{"minor version downgrade", func(in *Input) { in.EngineVersion = "8.1" }, func(in *Input) { in.EngineVersion = "8.0" }, "engine_version",
			[]string{"from 8.1 to 8.0"}},
		{"port", nil, func(in *Input) { in.Network.Port = 6380 }, "network.port",
			[]string{"from 6379 to 6380"}},
		{"kms added", nil, func(in *Input) { in.Security.KMSKeyARN = kmsA }, "security.kms_key_arn",
			[]string{"fixed at creation"}},
		{"kms changed", func(in *Input) { in.Security.KMSKeyARN = kmsA }, func(in *Input) { in.Security.KMSKeyARN = kmsB }, "security.kms_key_arn",
			[]string{"fixed at creation"}},
		{"kms removed", func(in *Input) { in.Security.KMSKeyARN = kmsA }, func(in *Input) { in.Security.KMSKeyARN = "" }, "security.kms_key_arn", nil},
		{"replacement suppresses warnings", nil, func(in *Input) {
			in.Network.Port = 6380
			in.Provisioned.NodeType = "cache.r7g.xlarge"
			in.Provisioned.EvictionPolicy = "allkeys-lru"
			in.Security.AuthTokenConfigured = true
		}, "network.port", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prior, planned := priorAndPlanned(tt.prior, tt.change)
			a := Assess(prior, planned)
			if !a.RequiresReplace() {
				t.Fatal("want RequiresReplace")
			}
			if len(a.Replace) != 1 || a.Replace[0].Attribute != tt.attr {
				t.Fatalf("Replace = %+v, want exactly one reason for %s", a.Replace, tt.attr)
			}
			if !containsAll(a.Replace[0].Why, tt.why) {
				t.Errorf("Why = %q, want it to contain %q", a.Replace[0].Why, tt.why)
			}
			if len(a.Warnings) != 0 {
				t.Errorf("a replacement must not warn about in-place changes, got %+v", a.Warnings)
			}
		})
	}
}

func TestAssessSeveralReplacementReasons(t *testing.T) {
	prior := validInput()
	planned := cloneInput(prior)
	planned.Network.Port = 6380
	planned.Security.KMSKeyARN = kmsA
	planned.Engine = EngineRedis
	a := Assess(prior, planned)
	var attrs []string
	for _, r := range a.Replace {
		attrs = append(attrs, r.Attribute.String())
	}
	if got, want := strings.Join(attrs, ","), "engine,network.port,security.kms_key_arn"; got != want {
		t.Errorf("Replace attributes = %s, want %s", got, want)
	}
}

// wantWarning describes one expected Warning.
type wantWarning = wantNote

func TestAssessWarnings(t *testing.T) {
	const window = "maintenance window (sun:05:00-sun:06:00)"
	tests := []struct {
		name   string
		prior  func(in *Input)
		change func(in *Input)
		want   []wantWarning
	}{
		{"redis to valkey in place", func(in *Input) { in.Engine, in.EngineVersion = EngineRedis, "7.2" },
			func(in *Input) { in.Engine = EngineValkey },
			[]wantWarning{{attr: "engine", summary: "from redis to valkey", detail: []string{"endpoint and data are kept"}}}},
		{"redis 7.1 to valkey 8.0 warns twice", func(in *Input) { in.Engine, in.EngineVersion = EngineRedis, "7.1" },
			func(in *Input) { in.Engine, in.EngineVersion = EngineValkey, "8.0" },
			[]wantWarning{{attr: "engine"}, {attr: "engine_version", summary: "from 7.1 to 8.0"}}},
		{"node type deferred", nil, func(in *Input) { in.Provisioned.NodeType = "cache.r7g.xlarge" },
			[]wantWarning{{attr: "provisioned.node_type", summary: "Node type changes from cache.r7g.large to cache.r7g.xlarge",
				detail: []string{"failover", window, "apply_immediately is false"}}}},
		{"node type immediately", nil, func(in *Input) {
			in.Provisioned.NodeType = "cache.r7g.xlarge"
			in.Provisioned.ApplyImmediately = true
		}, []wantWarning{{attr: "provisioned.node_type", detail: []string{"failover"}, notInDetail: []string{"maintenance window", "apply_immediately"}}}},
		{"apply_immediately of prior does not matter", func(in *Input) { in.Provisioned.ApplyImmediately = true },
			func(in *Input) {
				in.Provisioned.ApplyImmediately = false
				in.Provisioned.NodeType = "cache.m7g.large"
			}, []wantWarning{{attr: "provisioned.node_type", detail: []string{window}}}},
		{"deferred names the planned window", nil, func(in *Input) {
			in.Provisioned.MaintenanceWindow = "tue:01:00-tue:02:00"
			in.Provisioned.NodeType = "cache.m7g.large"
		}, []wantWarning{{attr: "provisioned.node_type", detail: []string{"(tue:01:00-tue:02:00)"}}}},
		{"upgrade deferred", nil, func(in *Input) { in.EngineVersion = "8.1" },
			[]wantWarning{{attr: "engine_version", summary: "Engine upgrade from 8.0 to 8.1", detail: []string{"one at a time", window}}}},
		{"upgrade immediately", nil, func(in *Input) {
			in.EngineVersion = "8.1"
			in.Provisioned.ApplyImmediately = true
		}, []wantWarning{{attr: "engine_version", summary: "Engine upgrade", notInDetail: []string{"maintenance window"}}}},
		{"shards 1 to 2 turns cluster mode on", nil, func(in *Input) { in.Provisioned.Shards = 2 },
			[]wantWarning{{attr: "provisioned.shards", summary: "Resharding from 1 to 2 shards",
				detail: []string{"Cluster mode turns on", "configuration_endpoint", "hash slot"}}}},
		{"shards 2 to 3 is already cluster mode", func(in *Input) { in.Provisioned.Shards = 2 }, func(in *Input) { in.Provisioned.Shards = 3 },
			[]wantWarning{{attr: "provisioned.shards", summary: "Resharding from 2 to 3 shards",
				detail: []string{"data is kept"}, notInDetail: []string{"Cluster mode", "configuration_endpoint"}}}},
		{"shards 3 to 2", func(in *Input) { in.Provisioned.Shards = 3 }, func(in *Input) { in.Provisioned.Shards = 2 },
			[]wantWarning{{attr: "provisioned.shards", summary: "Resharding from 3 to 2 shards", notInDetail: []string{"configuration_endpoint"}}}},
		{"replicas decrease", nil, func(in *Input) { in.Provisioned.ReplicasPerShard = 1 },
			[]wantWarning{{attr: "provisioned.replicas_per_shard", summary: "go down from 2 to 1", detail: []string{"removed replicas"}}}},
		{"replicas increase", nil, func(in *Input) { in.Provisioned.ReplicasPerShard = 3 }, nil},
		{"multi_az off", nil, func(in *Input) { in.Provisioned.MultiAZ = false },
			[]wantWarning{{attr: "provisioned.multi_az", summary: "Multi-AZ turns off"}}},
		{"multi_az on", func(in *Input) { in.Provisioned.MultiAZ = false }, func(in *Input) { in.Provisioned.MultiAZ = true }, nil},
		{"eviction", nil, func(in *Input) { in.Provisioned.EvictionPolicy = "noeviction" },
			[]wantWarning{{attr: "provisioned.eviction_policy", summary: "from volatile-lru to noeviction", detail: []string{"evicted"}}}},
		{"parameters added", nil, func(in *Input) { in.Provisioned.Parameters = map[string]string{"timeout": "300"} },
			[]wantWarning{{attr: "provisioned.parameters", summary: "Engine parameters change", detail: []string{"every node"}}}},
		{"parameter value changed", func(in *Input) { in.Provisioned.Parameters = map[string]string{"timeout": "300"} },
			func(in *Input) { in.Provisioned.Parameters = map[string]string{"timeout": "0"} },
			[]wantWarning{{attr: "provisioned.parameters"}}},
		{"parameters nil and empty are equal", nil, func(in *Input) { in.Provisioned.Parameters = map[string]string{} }, nil},
		{"TLS becomes required", func(in *Input) { in.Security.TransitEncryptionMode = TransitPreferred },
			func(in *Input) { in.Security.TransitEncryptionMode = TransitRequired },
			[]wantWarning{{attr: "security.transit_encryption_mode", summary: "TLS becomes required", detail: []string{"without TLS are refused"}}}},
		{"TLS becomes preferred", nil, func(in *Input) { in.Security.TransitEncryptionMode = TransitPreferred },
			[]wantWarning{{attr: "security.transit_encryption_mode", summary: "TLS becomes optional", detail: []string{"plaintext"}}}},
		{"auth added", nil, authToken(true, 1), []wantWarning{{attr: "security.auth_token_wo", summary: "AUTH token is added"}}},
		{"auth removed", authToken(true, 1), authToken(false, 0), []wantWarning{{attr: "security.auth_token_wo", summary: "AUTH token is removed"}}},
		{"auth rotated", authToken(true, 1), authToken(true, 2),
			[]wantWarning{{attr: "security.auth_token_wo", summary: "AUTH token rotates", detail: []string{"ROTATE", "SET", "old token"}}}},
		{"auth version without a token", nil, func(in *Input) { in.Security.AuthTokenVersion = 2 }, nil},
		{"user group added", nil, func(in *Input) { in.Security.UserGroupID = "agents-rbac" },
			[]wantWarning{{attr: "security.user_group_id", summary: "RBAC user group changes"}}},
		{"user group changed", func(in *Input) { in.Security.UserGroupID = "old" }, func(in *Input) { in.Security.UserGroupID = "new" },
			[]wantWarning{{attr: "security.user_group_id"}}},
		{"subnets reordered", nil, func(in *Input) {
			s := in.Network.SubnetIDs
			in.Network.SubnetIDs = []string{s[2], s[0], s[1]}
		}, nil},
		{"subnet replaced", nil, func(in *Input) { in.Network.SubnetIDs[1] = "subnet-0fffffff" },
			[]wantWarning{{attr: "network.subnet_ids", summary: "Subnets change", detail: []string{"existing nodes stay"}}}},
		{"subnet added", nil, func(in *Input) { in.Network.SubnetIDs = append(in.Network.SubnetIDs, "subnet-0fffffff") },
			[]wantWarning{{attr: "network.subnet_ids"}}},
		{"tags, windows and notifications are not disruptive", nil, func(in *Input) {
			in.Tags["owner"] = "someone"
			in.Provisioned.SnapshotWindow = "01:00-02:00"
			in.Provisioned.MaintenanceWindow = "mon:05:00-mon:06:00"
			in.Provisioned.SnapshotRetentionDays = 7
			in.NotificationTopicARN = "arn:aws:sns:eu-west-1:123456789012:t"
			in.Network.AllowedCIDRBlocks = []string{"10.0.0.0/8"}
		}, nil},
		{"several warnings at once", nil, func(in *Input) {
			in.Provisioned.NodeType = "cache.r7g.xlarge"
			in.Provisioned.Shards = 2
			in.Provisioned.MultiAZ = false
			in.Security.UserGroupID = "ug"
		}, []wantWarning{
			{attr: "provisioned.node_type"}, {attr: "provisioned.shards"},
			{attr: "provisioned.multi_az"}, {attr: "security.user_group_id"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prior, planned := priorAndPlanned(tt.prior, tt.change)
			a := Assess(prior, planned)
			if a.RequiresReplace() || len(a.Replace) != 0 {
				t.Fatalf("want no replacement, got %+v", a.Replace)
			}
			checkWarnings(t, a.Warnings, tt.want)
		})
	}
}

// priorAndPlanned returns a valid input, changed by prior when not nil, and a copy of it changed
// by change: the two sides of a plan.
func priorAndPlanned(prior, change func(*Input)) (Input, Input) {
	before := validInput()
	if prior != nil {
		prior(&before)
	}
	after := cloneInput(before)
	change(&after)
	return before, after
}

// authToken sets whether an AUTH token is configured, and its version.
func authToken(configured bool, version int64) func(*Input) {
	return func(in *Input) { in.Security.AuthTokenConfigured, in.Security.AuthTokenVersion = configured, version }
}

func checkWarnings(t *testing.T, got []Warning, want []wantWarning) {
	t.Helper()
	checkNotes(t, "warning", got, want, func(w Warning) (Attr, string, string) { return w.Attribute, w.Summary, w.Detail })
}

// TestAssessSkipsUnknown checks that a planned value Terraform does not know yet is not judged.
// Each case first checks that the change is assessed while known.
func TestAssessSkipsUnknown(t *testing.T) {
	authOn := authToken(true, 1)
	tests := []struct {
		unknown Attr
		prior   func(in *Input)
		change  func(in *Input)
	}{
		{"mode", nil, func(in *Input) { in.Mode = "" }},
		{"engine", nil, func(in *Input) { in.Engine = "" }},
		{"engine", func(in *Input) { in.Engine = EngineRedis }, func(in *Input) { in.Engine = EngineValkey }},
		{"engine_version", nil, func(in *Input) { in.EngineVersion = "7.2" }},
		{"engine_version", nil, func(in *Input) { in.EngineVersion = "8.1" }},
		{"network.port", nil, func(in *Input) { in.Network.Port = 0 }},
		{"security.kms_key_arn", nil, func(in *Input) { in.Security.KMSKeyARN = kmsA }},
		{"provisioned.node_type", nil, func(in *Input) { in.Provisioned.NodeType = "" }},
		{"provisioned.shards", nil, func(in *Input) { in.Provisioned.Shards = 0 }},
		{"provisioned.replicas_per_shard", nil, func(in *Input) { in.Provisioned.ReplicasPerShard = 0 }},
		{"provisioned.multi_az", nil, func(in *Input) { in.Provisioned.MultiAZ = false }},
		{"provisioned.eviction_policy", nil, func(in *Input) { in.Provisioned.EvictionPolicy = "" }},
		{"provisioned.parameters", nil, func(in *Input) { in.Provisioned.Parameters = map[string]string{"timeout": "1"} }},
		{"security.transit_encryption_mode", nil, func(in *Input) { in.Security.TransitEncryptionMode = "" }},
		{"security.auth_token_wo_version", authOn, func(in *Input) { in.Security.AuthTokenVersion = 0 }},
		{"security.user_group_id", nil, func(in *Input) { in.Security.UserGroupID = "ug" }},
		{"network.subnet_ids", nil, func(in *Input) { in.Network.SubnetIDs = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.unknown.String(), func(t *testing.T) {
			prior, planned := priorAndPlanned(tt.prior, tt.change)
			if a := Assess(prior, planned); len(a.Replace)+len(a.Warnings) == 0 {
				t.Fatal("the change must be assessed while known")
			}
			planned.Unknown = map[Attr]bool{tt.unknown: true}
			if a := Assess(prior, planned); len(a.Replace) != 0 || len(a.Warnings) != 0 {
				t.Errorf("unknown %s: want an empty Assessment, got %+v", tt.unknown, a)
			}
		})
	}
}

// TestAssessUnknownReplacementStillWarns checks that an unknown replacement trigger does not
// hide the in-place warnings of known changes.
func TestAssessUnknownReplacementStillWarns(t *testing.T) {
	prior := validInput()
	planned := cloneInput(prior)
	planned.Network.Port = 0
	planned.Provisioned.MultiAZ = false
	planned.Unknown = map[Attr]bool{"network.port": true}
	a := Assess(prior, planned)
	if a.RequiresReplace() {
		t.Fatalf("unknown port must not force replacement: %+v", a.Replace)
	}
	checkWarnings(t, a.Warnings, []wantWarning{{attr: "provisioned.multi_az"}})
}
