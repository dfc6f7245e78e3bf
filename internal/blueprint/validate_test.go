package blueprint

import (
	"fmt"
	"strings"
	"testing"
)

// wantProblem describes one expected Problem (see wantNote).
type wantProblem = wantNote

// checkProblems asserts that got holds exactly the wanted problems, in any order.
func checkProblems(t *testing.T, got []Problem, want []wantProblem) {
	t.Helper()
	checkNotes(t, "problem", got, want, func(p Problem) (Attr, string, string) { return p.Attribute, p.Summary, p.Detail })
}

// snapshotWindow and maintenanceWindow set a window of a case.
func snapshotWindow(w string) func(*Input) {
	return func(in *Input) { in.Provisioned.SnapshotWindow = w }
}

func maintenanceWindow(w string) func(*Input) {
	return func(in *Input) { in.Provisioned.MaintenanceWindow = w }
}

// invalidSnapshotWindow and invalidMaintenanceWindow are the problem of a bad window, with
// fragments of its detail.
func invalidSnapshotWindow(detail ...string) []wantProblem {
	return []wantProblem{{attr: "provisioned.snapshot_window", summary: "Invalid snapshot window", detail: detail}}
}

func invalidMaintenanceWindow(detail ...string) []wantProblem {
	return []wantProblem{{attr: "provisioned.maintenance_window", summary: "Invalid maintenance window", detail: detail}}
}

func TestValidateBaselineHasNoProblems(t *testing.T) {
	if ps := Validate(validInput()); len(ps) != 0 {
		t.Fatalf("baseline input: want no problems, got %v", ps)
	}
}

func TestValidate(t *testing.T) {
	allFamilies := strings.Join(NodeTypeFamilies(), ", ")
	tags := func(n int) map[string]string {
		m := map[string]string{}
		for i := range n {
			m[fmt.Sprintf("k%02d", i)] = "v"
		}
		return m
	}

	tests := []struct {
		name   string
		mutate func(in *Input)
		want   []wantProblem
	}{
		// name
		{"name empty", func(in *Input) { in.Name = "" },
			[]wantProblem{{attr: "name", summary: "Invalid stack name", detail: []string{"must not be empty"}}}},
		{"name 40 characters is the maximum", func(in *Input) { in.Name = "a" + strings.Repeat("b", 39) }, nil},
		{"name 41 characters", func(in *Input) { in.Name = "a" + strings.Repeat("b", 40) },
			[]wantProblem{{attr: "name", summary: "Invalid stack name", detail: []string{"41 characters", "at most 40"}}}},
		{"name uppercase", func(in *Input) { in.Name = "Agent-Sessions" },
			[]wantProblem{{attr: "name", summary: "Invalid stack name", detail: []string{`"Agent-Sessions"`, "lowercase"}}}},
		{"name starts with a digit", func(in *Input) { in.Name = "1cache" },
			[]wantProblem{{attr: "name", detail: []string{"start with a lowercase letter"}}}},
		{"name with underscore", func(in *Input) { in.Name = "agent_sessions" },
			[]wantProblem{{attr: "name", detail: []string{"only lowercase letters, digits and hyphens"}}}},
		{"name trailing hyphen", func(in *Input) { in.Name = "agent-sessions-" },
			[]wantProblem{{attr: "name", summary: "Invalid stack name", detail: []string{"must not end with a hyphen"}}}},
		{"name double hyphen", func(in *Input) { in.Name = "agent--sessions" },
			[]wantProblem{{attr: "name", summary: "Invalid stack name", detail: []string{"two consecutive hyphens"}}}},
		{"name single letter", func(in *Input) { in.Name = "a" }, nil},

		// engine version
		{"valkey version unsupported lists valkey choices", func(in *Input) { in.EngineVersion = "7.0" },
			[]wantProblem{{attr: "engine_version", summary: "Unsupported engine version",
				detail: []string{`"valkey"`, `"7.0"`, "valid choices: 7.2, 8.0, 8.1."}}}},
		{"redis version unsupported lists redis choices", func(in *Input) { in.Engine, in.EngineVersion = EngineRedis, "8.0" },
			[]wantProblem{{attr: "engine_version", summary: "Unsupported engine version",
				detail: []string{`"redis"`, `"8.0"`, "valid choices: 6.0, 6.2, 7.0, 7.1."}, notInDetail: []string{"8.1"}}}},
		{"redis 7.1 is supported", func(in *Input) { in.Engine, in.EngineVersion = EngineRedis, "7.1" }, nil},
		{"valkey 8.1 is supported", func(in *Input) { in.EngineVersion = "8.1" }, nil},
		{"empty engine version is not judged", func(in *Input) { in.EngineVersion = "" }, nil},

		// network
		{"bad subnet id", func(in *Input) { in.Network.SubnetIDs[1] = "subnet_0a1b" },
			[]wantProblem{{attr: "network.subnet_ids", summary: "Invalid subnet ID", detail: []string{`"subnet_0a1b"`, "subnet-..."}}}},
		{"subnet id without prefix", func(in *Input) { in.Network.SubnetIDs[0] = "0a1b2c3d" },
			[]wantProblem{{attr: "network.subnet_ids", summary: "Invalid subnet ID", detail: []string{`"0a1b2c3d"`}}}},
		{"two bad subnet ids give two problems", func(in *Input) { in.Network.SubnetIDs = []string{"sg-1", "subnet-", "subnet-0a"} },
			[]wantProblem{
				{attr: "network.subnet_ids", summary: "Invalid subnet ID", detail: []string{`"sg-1"`}},
				{attr: "network.subnet_ids", summary: "Invalid subnet ID", detail: []string{`"subnet-"`}},
			}},
		{"bad security group id", func(in *Input) { in.Network.AllowedSecurityGroupIDs = []string{"sg-0123", "subnet-0123"} },
			[]wantProblem{{attr: "network.allowed_security_group_ids", summary: "Invalid security group ID", detail: []string{`"subnet-0123"`, "sg-..."}}}},
		{"security group id with uppercase", func(in *Input) { in.Network.AllowedSecurityGroupIDs = []string{"sg-0ABC"} },
			[]wantProblem{{attr: "network.allowed_security_group_ids", summary: "Invalid security group ID"}}},
		{"private CIDRs accepted", func(in *Input) {
			in.Network.AllowedCIDRBlocks = []string{"10.0.0.0/16", "192.168.1.0/24", "10.1.2.3/32", "2001:db8::/32"}
		}, nil},
		{"0.0.0.0/0 rejected", func(in *Input) { in.Network.AllowedCIDRBlocks = []string{"0.0.0.0/0"} },
			[]wantProblem{{attr: "network.allowed_cidr_blocks", summary: "CIDR block open to the world", detail: []string{`"0.0.0.0/0"`, "allowed_security_group_ids"}}}},
		{"::/0 rejected", func(in *Input) { in.Network.AllowedCIDRBlocks = []string{"10.0.0.0/8", "::/0"} },
			[]wantProblem{{attr: "network.allowed_cidr_blocks", summary: "CIDR block open to the world", detail: []string{`"::/0"`}}}},
		{"any /0 rejected as open, not as host bits", func(in *Input) { in.Network.AllowedCIDRBlocks = []string{"10.1.2.3/0"} },
			[]wantProblem{{attr: "network.allowed_cidr_blocks", summary: "CIDR block open to the world"}}},
		{"malformed CIDR without prefix length", func(in *Input) { in.Network.AllowedCIDRBlocks = []string{"10.0.0.0"} },
			[]wantProblem{{attr: "network.allowed_cidr_blocks", summary: "Invalid CIDR block", detail: []string{`"10.0.0.0"`, "10.0.0.0/16"}}}},
		{"malformed CIDR prefix too long", func(in *Input) { in.Network.AllowedCIDRBlocks = []string{"10.0.0.0/33"} },
			[]wantProblem{{attr: "network.allowed_cidr_blocks", summary: "Invalid CIDR block"}}},
		{"malformed CIDR text", func(in *Input) { in.Network.AllowedCIDRBlocks = []string{"office-network"} },
			[]wantProblem{{attr: "network.allowed_cidr_blocks", summary: "Invalid CIDR block", detail: []string{`"office-network"`}}}},
		{"CIDR with host bits suggests masked form", func(in *Input) { in.Network.AllowedCIDRBlocks = []string{"10.0.12.7/16"} },
			[]wantProblem{{attr: "network.allowed_cidr_blocks", summary: "CIDR block has host bits set", detail: []string{`"10.0.12.7/16"`, `did you mean "10.0.0.0/16"?`}}}},
		{"IPv6 CIDR with host bits suggests masked form", func(in *Input) { in.Network.AllowedCIDRBlocks = []string{"2001:db8::1/32"} },
			[]wantProblem{{attr: "network.allowed_cidr_blocks", summary: "CIDR block has host bits set", detail: []string{`did you mean "2001:db8::/32"?`}}}},

		// node type and topology
		{"unknown node type lists families", func(in *Input) { in.Provisioned.NodeType = "cache.r7g.huge" },
			[]wantProblem{{attr: "provisioned.node_type", summary: "Unknown node type",
				detail: []string{`"cache.r7g.huge"`, allFamilies, "r7g", "t4g", "m7g", "r6gd"}}}},
		{"node type without cache prefix", func(in *Input) { in.Provisioned.NodeType = "r7g.large" },
			[]wantProblem{{attr: "provisioned.node_type", summary: "Unknown node type"}}},
		{"empty node type not judged", func(in *Input) { in.Provisioned.NodeType = "" }, nil},
		{"multi_az without replicas", func(in *Input) { in.Provisioned.ReplicasPerShard = 0 },
			[]wantProblem{{attr: "provisioned.multi_az", summary: "Multi-AZ needs a replica", detail: []string{"replicas_per_shard >= 1"}}}},
		{"no replicas without multi_az is fine", func(in *Input) { in.Provisioned.ReplicasPerShard, in.Provisioned.MultiAZ = 0, false }, nil},
		{"multi_az with one subnet", func(in *Input) { in.Network.SubnetIDs = []string{"subnet-0a1b2c3d"} },
			[]wantProblem{{attr: "network.subnet_ids", summary: "Multi-AZ needs subnets in two Availability Zones", detail: []string{"at least two subnet_ids"}}}},
		{"multi_az with no subnet", func(in *Input) { in.Network.SubnetIDs = nil },
			[]wantProblem{{attr: "network.subnet_ids", summary: "Multi-AZ needs subnets in two Availability Zones"}}},
		{"multi_az with two subnets", func(in *Input) { in.Network.SubnetIDs = in.Network.SubnetIDs[:2] }, nil},
		{"one subnet without multi_az", func(in *Input) {
			in.Network.SubnetIDs = []string{"subnet-0a1b2c3d"}
			in.Provisioned.MultiAZ = false
		}, nil},
		{"500 nodes is the maximum", func(in *Input) { in.Provisioned.Shards, in.Provisioned.ReplicasPerShard = 250, 1 }, nil},
		{"501 nodes", func(in *Input) { in.Provisioned.Shards, in.Provisioned.ReplicasPerShard = 167, 2 },
			[]wantProblem{{attr: "provisioned.shards", summary: "Too many nodes", detail: []string{"167 shards x 3 nodes = 501 nodes", "at most 500"}}}},
		{"600 nodes", func(in *Input) { in.Provisioned.Shards, in.Provisioned.ReplicasPerShard = 100, 5 },
			[]wantProblem{{attr: "provisioned.shards", summary: "Too many nodes", detail: []string{"= 600 nodes"}}}},

		// parameters
		{"unmanaged parameter accepted", func(in *Input) {
			in.Provisioned.Parameters = map[string]string{"notify-keyspace-events": "Ex", "timeout": "300"}
		}, nil},
		{"maxmemory-policy is managed", func(in *Input) {
			in.Provisioned.Parameters = map[string]string{"maxmemory-policy": "allkeys-lru", "timeout": "300"}
		}, []wantProblem{{attr: "provisioned.parameters", summary: "Parameter managed by the stack",
			detail: []string{`"maxmemory-policy"`, "provisioned.eviction_policy"}}}},
		{"cluster-enabled is managed", func(in *Input) { in.Provisioned.Parameters = map[string]string{"cluster-enabled": "yes"} },
			[]wantProblem{{attr: "provisioned.parameters", summary: "Parameter managed by the stack",
				detail: []string{`"cluster-enabled"`, "provisioned.shards"}}}},
		{"both managed parameters", func(in *Input) {
			in.Provisioned.Parameters = map[string]string{"cluster-enabled": "yes", "maxmemory-policy": "noeviction"}
		}, []wantProblem{
			{attr: "provisioned.parameters", detail: []string{`"cluster-enabled"`}},
			{attr: "provisioned.parameters", detail: []string{`"maxmemory-policy"`}},
		}},

		// windows
		{"snapshot window malformed hour", snapshotWindow("3:00-4:00"), invalidSnapshotWindow(`"3:00-4:00"`, "hh24:mi-hh24:mi")},
		{"snapshot window hour 24", snapshotWindow("23:00-24:00"), invalidSnapshotWindow("hh24:mi-hh24:mi")},
		{"snapshot window in weekly format", snapshotWindow("sun:03:00-sun:04:00"), invalidSnapshotWindow()},
		{"snapshot window too short", snapshotWindow("03:00-03:30"), invalidSnapshotWindow("lasts 30 minutes", "at least 60")},
		{"snapshot window too short across midnight", snapshotWindow("23:30-00:15"), invalidSnapshotWindow("lasts 45 minutes")},
		{"snapshot window across midnight", snapshotWindow("23:30-00:30"), nil},
		{"maintenance window malformed", maintenanceWindow("sunday:05:00-sunday:06:00"), invalidMaintenanceWindow(`"sunday:05:00-sunday:06:00"`, "ddd:hh24:mi-ddd:hh24:mi")},
		{"maintenance window without end day", maintenanceWindow("sun:05:00-06:00"), invalidMaintenanceWindow("ddd:hh24:mi-ddd:hh24:mi")},
		{"maintenance window too short", maintenanceWindow("sun:05:00-sun:05:59"), invalidMaintenanceWindow("lasts 59 minutes", "at least 60")},
		{"maintenance window zero length", maintenanceWindow("sun:05:00-sun:05:00"), invalidMaintenanceWindow("lasts 0 minutes")},
		{"maintenance window in upper case", maintenanceWindow("SUN:05:00-SUN:06:00"), nil},
		{"windows overlap", snapshotWindow("05:30-06:30"),
			[]wantProblem{{attr: "provisioned.snapshot_window", summary: "Snapshot and maintenance windows overlap",
				detail: []string{`"05:30-06:30"`, `"sun:05:00-sun:06:00"`}}}},
		{"windows touching do not overlap", snapshotWindow("04:00-05:00"), nil},
		{"snapshot window crossing midnight overlaps", windows("23:30-00:30", "wed:00:00-wed:01:00"), []wantProblem{{attr: "provisioned.snapshot_window", summary: "overlap"}}},
		{"snapshot window crossing midnight overlaps the evening before", windows("23:30-00:30", "tue:22:45-tue:23:45"), []wantProblem{{attr: "provisioned.snapshot_window", summary: "overlap"}}},
		{"snapshot window crossing midnight apart", windows("23:30-00:30", "wed:00:30-wed:01:30"), nil},
		{"maintenance window crossing sat->sun overlaps", windows("00:00-01:00", "sat:23:30-sun:00:30"), []wantProblem{{attr: "provisioned.snapshot_window", summary: "overlap", detail: []string{`"sat:23:30-sun:00:30"`}}}},
		{"maintenance window crossing sun->mon overlaps", windows("00:00-01:00", "sun:23:30-mon:00:30"), []wantProblem{{attr: "provisioned.snapshot_window", summary: "overlap"}}},
		{"maintenance window crossing sun->mon overlaps the late snapshot", windows("22:00-23:45", "sun:23:30-mon:00:30"), []wantProblem{{attr: "provisioned.snapshot_window", summary: "overlap"}}},
		{"maintenance window crossing sat->sun apart", windows("01:00-02:00", "sat:23:30-sun:00:30"), nil},
		{"overlap not judged when retention is 0", func(in *Input) {
			in.Provisioned.SnapshotWindow = "05:30-06:30"
			in.Provisioned.SnapshotRetentionDays = 0
		}, nil},
		{"overlap not judged when a window is invalid", snapshotWindow("05:30-06:00"), invalidSnapshotWindow()},
		{"overlap not judged without a snapshot window", snapshotWindow(""), nil},

		// final snapshot
		{"good final snapshot name", func(in *Input) { in.Provisioned.FinalSnapshotName = "Agent-Sessions-final-2024" }, nil},
		{"final snapshot name with underscore", func(in *Input) { in.Provisioned.FinalSnapshotName = "agent_sessions_final" },
			[]wantProblem{{attr: "provisioned.final_snapshot_name", summary: "Invalid snapshot name", detail: []string{`"agent_sessions_final"`, "start with a letter"}}}},
		{"final snapshot name starting with a digit", func(in *Input) { in.Provisioned.FinalSnapshotName = "2024-final" },
			[]wantProblem{{attr: "provisioned.final_snapshot_name", summary: "Invalid snapshot name"}}},

		// security
		{"AUTH token alone", func(in *Input) { in.Security.AuthTokenConfigured = true }, nil},
		{"user group alone", func(in *Input) { in.Security.UserGroupID = "agents-rbac" }, nil},
		{"AUTH token and user group", func(in *Input) {
			in.Security.AuthTokenConfigured = true
			in.Security.UserGroupID = "agents-rbac"
		}, []wantProblem{{attr: "security.auth_token_wo", summary: "AUTH token and RBAC together", detail: []string{"auth_token_wo", "user_group_id"}}}},
		{"good KMS key ARN", func(in *Input) {
			in.Security.KMSKeyARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
		}, nil},
		{"good KMS alias ARN in GovCloud", func(in *Input) {
			in.Security.KMSKeyARN = "arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/cache"
		}, nil},
		{"KMS key id instead of ARN", func(in *Input) { in.Security.KMSKeyARN = "1234abcd-12ab-34cd-56ef-1234567890ab" },
			[]wantProblem{{attr: "security.kms_key_arn", summary: "Invalid KMS key ARN", detail: []string{`"1234abcd-12ab-34cd-56ef-1234567890ab"`, "arn:aws:kms:"}}}},
		{"KMS ARN with short account", func(in *Input) { in.Security.KMSKeyARN = "arn:aws:kms:eu-west-1:1234:key/abc" },
			[]wantProblem{{attr: "security.kms_key_arn", summary: "Invalid KMS key ARN"}}},
		{"KMS ARN of another service", func(in *Input) { in.Security.KMSKeyARN = "arn:aws:sns:eu-west-1:123456789012:key/abc" },
			[]wantProblem{{attr: "security.kms_key_arn", summary: "Invalid KMS key ARN"}}},

		// notifications and tags
		{"good SNS ARN", func(in *Input) { in.NotificationTopicARN = "arn:aws:sns:eu-west-1:123456789012:cache-events" }, nil},
		{"SQS ARN as topic", func(in *Input) { in.NotificationTopicARN = "arn:aws:sqs:eu-west-1:123456789012:cache-events" },
			[]wantProblem{{attr: "notification_topic_arn", summary: "Invalid SNS topic ARN", detail: []string{"arn:aws:sqs:", "arn:aws:sns:<region>:<account>:<topic>"}}}},
		{"SNS topic name instead of ARN", func(in *Input) { in.NotificationTopicARN = "cache-events" },
			[]wantProblem{{attr: "notification_topic_arn", summary: "Invalid SNS topic ARN"}}},
		{"50 tags is the maximum", func(in *Input) { in.Tags = tags(50) }, nil},
		{"51 tags", func(in *Input) { in.Tags = tags(51) },
			[]wantProblem{{attr: "tags", summary: "Too many tags", detail: []string{"at most 50", "got 51"}}}},
		{"aws: tag prefix", func(in *Input) { in.Tags["aws:cloudformation:stack-name"] = "x" },
			[]wantProblem{{attr: "tags", summary: "Reserved tag key", detail: []string{`"aws:cloudformation:stack-name"`}}}},
		{"AWS: tag prefix in upper case", func(in *Input) { in.Tags["AWS:owner"] = "x" },
			[]wantProblem{{attr: "tags", summary: "Reserved tag key", detail: []string{`"AWS:owner"`}}}},
		{"aws without colon is an ordinary tag", func(in *Input) { in.Tags["aws-account"] = "x" }, nil},

		// mode
		{"serverless mode skips provisioned rules", func(in *Input) {
			in.Mode = ModeServerless
			in.Provisioned.ReplicasPerShard = 0
			in.Provisioned.NodeType = "cache.bogus.large"
			in.Provisioned.SnapshotWindow = "bogus"
		}, nil},
		{"empty mode means provisioned", func(in *Input) {
			in.Mode = ""
			in.Provisioned.NodeType = "cache.bogus.large"
		}, []wantProblem{{attr: "provisioned.node_type", summary: "Unknown node type"}}},

		// serverless minimums (pre-scaling)
		{"serverless minimums within range and limits", func(in *Input) {
			in.Mode = ModeServerless
			in.Serverless = Serverless{MinDataStorageGB: 10, MaxDataStorageGB: 10, MinECPUPerSecond: 1000, MaxECPUPerSecond: 5000}
		}, nil},
		{"serverless minimum without a maximum", func(in *Input) {
			in.Mode = ModeServerless
			in.Serverless = Serverless{MinDataStorageGB: 5000, MinECPUPerSecond: 15000000}
		}, nil},
		{"serverless minimums out of range", func(in *Input) {
			in.Mode = ModeServerless
			in.Serverless = Serverless{MinDataStorageGB: 5001, MinECPUPerSecond: 999}
		}, []wantProblem{
			{attr: "serverless.min_data_storage_gb", summary: "Usage limit out of range", detail: []string{"min_data_storage_gb must be 1 to 5,000", "got 5,001"}},
			{attr: "serverless.min_ecpu_per_second", summary: "Usage limit out of range", detail: []string{"min_ecpu_per_second must be 1,000 to 15,000,000", "got 999"}},
		}},
		{"serverless minimum above maximum", func(in *Input) {
			in.Mode = ModeServerless
			in.Serverless = Serverless{MinDataStorageGB: 20, MaxDataStorageGB: 10, MinECPUPerSecond: 6000, MaxECPUPerSecond: 5000}
		}, []wantProblem{
			{attr: "serverless.min_data_storage_gb", summary: "Minimum above maximum", detail: []string{"min_data_storage_gb (20) must not exceed max_data_storage_gb (10)"}},
			{attr: "serverless.min_ecpu_per_second", summary: "Minimum above maximum", detail: []string{"min_ecpu_per_second (6,000) must not exceed max_ecpu_per_second (5,000)"}},
		}},
		// all at once
		{"every problem reported in one round", func(in *Input) {
			in.Name = "Bad"
			in.Network.AllowedCIDRBlocks = []string{"0.0.0.0/0"}
			in.Provisioned.ReplicasPerShard = 0
			in.Security.KMSKeyARN = "key"
			in.Tags["aws:x"] = "y"
		}, []wantProblem{
			{attr: "name"},
			{attr: "network.allowed_cidr_blocks"},
			{attr: "provisioned.multi_az"},
			{attr: "security.kms_key_arn"},
			{attr: "tags"},
		}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := cloneInput(validInput())
			tt.mutate(&in)
			checkProblems(t, Validate(in), tt.want)
		})
	}
}

// TestValidateSkipsUnknown checks that a value Terraform does not know yet is not judged: each
// case makes the input invalid, checks that it is reported while known, then marks it unknown.
func TestValidateSkipsUnknown(t *testing.T) {
	tests := []struct {
		name    string
		unknown []Attr
		mutate  func(in *Input)
	}{
		{"name", []Attr{"name"}, func(in *Input) { in.Name = "" }},
		{"engine_version", []Attr{"engine_version"}, func(in *Input) { in.EngineVersion = "6.0" }},
		{"engine", []Attr{"engine"}, func(in *Input) { in.Engine = EngineRedis }},
		{"subnet ids", []Attr{"network.subnet_ids"}, func(in *Input) { in.Network.SubnetIDs = []string{"bad"} }},
		{"security group ids", []Attr{"network.allowed_security_group_ids"}, func(in *Input) { in.Network.AllowedSecurityGroupIDs = []string{"bad"} }},
		{"cidr blocks", []Attr{"network.allowed_cidr_blocks"}, func(in *Input) {
			in.Network.AllowedCIDRBlocks = []string{"0.0.0.0/0", "bad", "10.0.0.1/8"}
		}},
		{"node type", []Attr{"provisioned.node_type"}, func(in *Input) { in.Provisioned.NodeType = "cache.x9.large" }},
		{"multi_az", []Attr{"provisioned.multi_az"}, func(in *Input) {
			in.Provisioned.ReplicasPerShard = 0
			in.Network.SubnetIDs = in.Network.SubnetIDs[:1]
		}},
		{"replicas_per_shard", []Attr{"provisioned.replicas_per_shard"}, func(in *Input) {
			in.Provisioned.ReplicasPerShard = 0
		}},
		{"shards", []Attr{"provisioned.shards"}, func(in *Input) { in.Provisioned.Shards = 200 }},
		{"replicas_per_shard for node count", []Attr{"provisioned.replicas_per_shard"}, func(in *Input) { in.Provisioned.Shards = 200 }},
		{"parameters", []Attr{"provisioned.parameters"}, func(in *Input) {
			in.Provisioned.Parameters = map[string]string{"maxmemory-policy": "noeviction"}
		}},
		{"snapshot window", []Attr{"provisioned.snapshot_window"}, snapshotWindow("bad")},
		{"snapshot window overlap", []Attr{"provisioned.snapshot_window"}, snapshotWindow("05:00-06:00")},
		{"maintenance window", []Attr{"provisioned.maintenance_window"}, maintenanceWindow("bad")},
		{"maintenance window overlap", []Attr{"provisioned.maintenance_window"}, maintenanceWindow("sun:03:00-sun:04:00")},
		{"final snapshot name", []Attr{"provisioned.final_snapshot_name"}, func(in *Input) { in.Provisioned.FinalSnapshotName = "_" }},
		{"user group", []Attr{"security.user_group_id"}, func(in *Input) {
			in.Security.UserGroupID = "ug"
			in.Security.AuthTokenConfigured = true
		}},
		{"kms key", []Attr{"security.kms_key_arn"}, func(in *Input) { in.Security.KMSKeyARN = "bad" }},
		{"notification topic", []Attr{"notification_topic_arn"}, func(in *Input) { in.NotificationTopicARN = "bad" }},
		{"several unknown at once", []Attr{"name", "provisioned.node_type", "network.subnet_ids"}, func(in *Input) {
			in.Name = "BAD--"
			in.Provisioned.NodeType = "bad"
			in.Network.SubnetIDs = []string{"bad"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := cloneInput(validInput())
			tt.mutate(&in)
			if ps := Validate(in); len(ps) == 0 {
				t.Fatal("the mutated input must be invalid while its values are known")
			}
			in.Unknown = map[Attr]bool{}
			for _, u := range tt.unknown {
				in.Unknown[u] = true
			}
			if ps := Validate(in); len(ps) != 0 {
				t.Errorf("unknown %v: want no problems, got %v", tt.unknown, ps)
			}
		})
	}
}

func TestValidateUnknownDoesNotHideOtherProblems(t *testing.T) {
	in := validInput()
	in.Name = ""
	in.Provisioned.NodeType = "bad"
	in.Unknown = map[Attr]bool{"name": true}
	checkProblems(t, Validate(in), []wantProblem{{attr: "provisioned.node_type", summary: "Unknown node type"}})
}

func TestProblemError(t *testing.T) {
	p := Problem{Attribute: "provisioned.shards", Summary: "Too many nodes", Detail: "at most 500."}
	if got, want := p.Error(), "provisioned.shards: Too many nodes: at most 500."; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestValidateAuthToken(t *testing.T) {
	// AWS: 16-128 printable ASCII characters; the only permitted non-alphanumeric characters
	// are ! & # $ ^ < > and - (CreateReplicationGroup AuthToken "Password constraints").
	const good = "kT7#vQ9!mZ2$wX4^pL8&rB3<"
	tests := []struct {
		name    string
		token   string
		summary string // empty: token accepted
		detail  string
	}{
		{"random-looking token", good, "", ""},
		{"16 characters is the minimum", "kT7#vQ9!mZ2$wX4^", "", ""},
		{"128 characters is the maximum", strings.Repeat(good, 6)[:128], "", ""},
		{"empty", "", "Invalid AUTH token", "has 0 characters; AWS requires 16 to 128"},
		{"15 characters", "kT7#vQ9!mZ2$wX4", "Invalid AUTH token", "has 15 characters"},
		{"129 characters", strings.Repeat(good, 6)[:129], "Invalid AUTH token", "has 129 characters"},
		{"every permitted symbol", "Ab1!Cd2&Ef3#Gh4$Ij5^Kl6<Mn7>Op8-", "", ""},
		{"letters and digits only", "Zq8Rw3Ty6Ui1Op4As7", "", ""},
		{"space", "kT7#vQ9!mZ2 wX4^pL8&", "Invalid AUTH token", "no spaces"},
		{"at sign", "kT7#vQ9!mZ2@wX4^pL8&", "Invalid AUTH token", "'@'"},
		{"double quote", `kT7#vQ9!mZ2"wX4^pL8&`, "Invalid AUTH token", `'"'`},
		{"slash", "kT7#vQ9!mZ2/wX4^pL8&", "Invalid AUTH token", "'/'"},
		{"percent", "kT7#vQ9!mZ2%wX4^pL8&", "Invalid AUTH token", "! & # $ ^ < > -"},
		{"asterisk", "kT7#vQ9!mZ2*wX4^pL8&", "Invalid AUTH token", "! & # $ ^ < > -"},
		{"underscore", "kT7#vQ9!mZ2_wX4^pL8&", "Invalid AUTH token", "only letters, digits"},
		{"plus and equals", "kT7#vQ9!mZ2+wX4=pL8&", "Invalid AUTH token", "only letters, digits"},
		{"random_password default specials", "kT7(vQ9)mZ2[wX4]pL8{rB3}:?", "Invalid AUTH token", "only letters, digits"},
		{"tilde", "kT7#vQ9!mZ2~wX4^pL8&", "Invalid AUTH token", "only letters, digits"},
		{"tab", "kT7#vQ9!mZ2\twX4^pL8&", "Invalid AUTH token", "printable ASCII"},
		{"newline", "kT7#vQ9!mZ2\nwX4^pL8&", "Invalid AUTH token", "printable ASCII"},
		{"DEL", "kT7#vQ9!mZ2\x7fwX4^pL8&", "Invalid AUTH token", "printable ASCII"},
		{"non-ASCII", "kT7#vQ9!mZ2äwX4^pL8&", "Invalid AUTH token", "printable ASCII"},
		{"single character repeated", strings.Repeat("a", 32), "Weak AUTH token", "repeats"},
		{"pair repeated", strings.Repeat("ab", 10), "Weak AUTH token", "random value"},
		{"triple repeated, truncated", strings.Repeat("x9!", 7)[:20], "Weak AUTH token", "repeats"},
		{"four characters repeated", strings.Repeat("P4s$", 8), "Weak AUTH token", "repeats"},
		{"mostly repeated but not entirely", strings.Repeat("a", 31) + "b", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ValidateAuthToken(tt.token)
			if tt.summary == "" {
				if p != nil {
					t.Fatalf("want token accepted, got %s", p.Error())
				}
				return
			}
			if p == nil {
				t.Fatalf("want %q, got nil", tt.summary)
			}
			if p.Attribute != "security.auth_token_wo" {
				t.Errorf("Attribute = %q, want security.auth_token_wo", p.Attribute)
			}
			if p.Summary != tt.summary {
				t.Errorf("Summary = %q, want %q", p.Summary, tt.summary)
			}
			if !strings.Contains(p.Detail, tt.detail) {
				t.Errorf("Detail = %q, want it to contain %q", p.Detail, tt.detail)
			}
			if tt.token != "" && strings.Contains(p.Error(), tt.token) {
				t.Errorf("the message %q contains the token", p.Error())
			}
		})
	}
}

// TestValidateAuthTokenNeverEchoesToken checks, over many rejected tokens, that no fragment of
// eight or more characters of the token leaks into the message.
func TestValidateAuthTokenNeverEchoesToken(t *testing.T) {
	tokens := []string{
		"short",
		"s3cr3t-too-short"[:12],
		strings.Repeat("Z", 200),
		"S3cretValue@withAt-sign",
		"S3cretValue/withSlash",
		"S3cretValue with space",
		"S3cretValueWithÜmlaut",
		strings.Repeat("Qw3!", 10),
	}
	for _, tok := range tokens {
		p := ValidateAuthToken(tok)
		if p == nil {
			t.Errorf("token %d: want a problem", len(tok))
			continue
		}
		msg := p.Error()
		for i := 0; i+8 <= len(tok); i++ {
			if strings.Contains(msg, tok[i:i+8]) {
				t.Errorf("message %q contains a fragment of the token", msg)
				break
			}
		}
	}
}

// windows sets the snapshot and the maintenance window of a case.
func windows(snapshot, maintenance string) func(*Input) {
	return func(in *Input) {
		in.Provisioned.SnapshotWindow = snapshot
		in.Provisioned.MaintenanceWindow = maintenance
	}
}
