package stack_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// hclAttrs are attributes of one block as raw HCL values; "-" removes a default.
type hclAttrs map[string]string

// badInput is one invalid configuration of the validation table: overrides of a valid
// provisioned Valkey stack, and the error Terraform must show at plan.
type badInput struct {
	name string
	// attr is the attribute at fault, as the error must name it (a dotted path for nested
	// attributes).
	attr        string
	top         hclAttrs
	network     hclAttrs
	provisioned hclAttrs
	security    hclAttrs
	extra       string // more top-level lines (blocks such as alarms)
	// want are fragments that must appear in this order in Terraform's error output: the
	// summary, the rule broken and the valid choices.
	want []string
	// upstream marks a message written by a library the provider uses
	// (terraform-plugin-framework-timeouts), which does not name the attribute.
	upstream bool
}

// validStackHCL renders a valid stack with the given overrides.
func validStackHCL(t *testing.T, c badInput) string {
	t.Helper()
	n := acctest.Network(t)
	merge := func(defaults, overrides hclAttrs) hclAttrs {
		out := hclAttrs{}
		for k, v := range defaults {
			out[k] = v
		}
		for k, v := range overrides {
			out[k] = v
		}
		return out
	}
	block := func(b *strings.Builder, indent string, attrs hclAttrs) {
		keys := make([]string, 0, len(attrs))
		for k := range attrs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if attrs[k] != "-" {
				fmt.Fprintf(b, "%s%s = %s\n", indent, k, attrs[k])
			}
		}
	}
	var b strings.Builder
	b.WriteString("resource \"elasticache_stack\" \"test\" {\n")
	block(&b, "  ", merge(hclAttrs{"name": `"acc-bad-input"`}, c.top))
	b.WriteString("  network = {\n")
	block(&b, "    ", merge(hclAttrs{"subnet_ids": acctest.HCLList(n.SubnetIDs), "allowed_security_group_ids": acctest.HCLList([]string{n.AppGroupID})}, c.network))
	b.WriteString("  }\n  provisioned = {\n")
	block(&b, "    ", merge(hclAttrs{"node_type": `"cache.r7g.large"`, "replicas_per_shard": "1"}, c.provisioned))
	b.WriteString("  }\n")
	if c.security != nil {
		b.WriteString("  security = {\n")
		block(&b, "    ", c.security)
		b.WriteString("  }\n")
	}
	b.WriteString(c.extra)
	b.WriteString("}\n")
	return b.String()
}

// inOrder builds a regexp matching the fragments in order, across lines, whatever the wrapping.
func inOrder(fragments ...string) *regexp.Regexp {
	parts := make([]string, len(fragments))
	for i, f := range fragments {
		words := strings.Fields(f)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		parts[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}

// badInputs is the table: every attribute with rules, each broken one way or several.
func badInputs() []badInput {
	validToken := `"Str0ng-Token-Value-4821"`
	manyTags := make([]string, 0, 51)
	for i := 0; i < 51; i++ {
		manyTags = append(manyTags, fmt.Sprintf("    tag%02d = \"v\"", i))
	}
	nameRule := "must start with a lowercase letter and contain only lowercase letters, digits and hyphens"
	return []badInput{
		// name (top level: Terraform quotes the line, so the attribute shows in the snippet)
		{name: "name uppercase", attr: "name", top: hclAttrs{"name": `"Bad-Name"`}, want: []string{"Invalid stack name", `name = "Bad-Name"`, nameRule}},
		{name: "name starts with a digit", attr: "name", top: hclAttrs{"name": `"1cache"`}, want: []string{"Invalid stack name", `name = "1cache"`, nameRule}},
		{name: "name with underscore", attr: "name", top: hclAttrs{"name": `"my_cache"`}, want: []string{"Invalid stack name", `name = "my_cache"`, nameRule}},
		{name: "name ends with hyphen", attr: "name", top: hclAttrs{"name": `"cache-"`}, want: []string{"Invalid stack name", `name = "cache-"`, "must not end with a hyphen or contain two consecutive hyphens"}},
		{name: "name with double hyphen", attr: "name", top: hclAttrs{"name": `"my--cache"`}, want: []string{"Invalid stack name", `name = "my--cache"`, "two consecutive hyphens"}},
		{name: "name too long", attr: "name", top: hclAttrs{"name": `"` + strings.Repeat("a", 41) + `"`}, want: []string{"Invalid stack name", "name = ", "has 41 characters; at most 40 are allowed"}},
		{name: "name empty", attr: "name", top: hclAttrs{"name": `""`}, want: []string{"Invalid stack name", `name = ""`, "name must not be empty"}},

		// network
		{name: "CIDR open to the IPv4 world", attr: "network.allowed_cidr_blocks", network: hclAttrs{"allowed_cidr_blocks": `["0.0.0.0/0"]`}, want: []string{"CIDR block open to the world", `"0.0.0.0/0" admits every address`, "Use allowed_security_group_ids or a private range"}},
		{name: "CIDR open to the IPv6 world", attr: "network.allowed_cidr_blocks", network: hclAttrs{"allowed_cidr_blocks": `["10.0.0.0/8", "::/0"]`}, want: []string{"CIDR block open to the world", `"::/0" admits every address`}},
		{name: "CIDR prefix too long", attr: "network.allowed_cidr_blocks", network: hclAttrs{"allowed_cidr_blocks": `["10.0.0.0/33"]`}, want: []string{"Invalid CIDR block", `"10.0.0.0/33" is not a CIDR block such as 10.0.0.0/16`}},
		{name: "CIDR not an address", attr: "network.allowed_cidr_blocks", network: hclAttrs{"allowed_cidr_blocks": `["office"]`}, want: []string{"Invalid CIDR block", `"office" is not a CIDR block such as 10.0.0.0/16`}},
		{name: "CIDR with host bits", attr: "network.allowed_cidr_blocks", network: hclAttrs{"allowed_cidr_blocks": `["10.1.2.3/16"]`}, want: []string{"CIDR block has host bits set", `did you mean "10.1.0.0/16"?`}},
		{name: "malformed subnet id", attr: "network.subnet_ids", network: hclAttrs{"subnet_ids": `["sn-123", "subnet-abc"]`}, want: []string{"Invalid subnet ID", `"sn-123" is not a subnet ID (subnet-...)`}},
		{name: "no subnets", attr: "network.subnet_ids", network: hclAttrs{"subnet_ids": `[]`}, want: []string{"network.subnet_ids", "must contain at least 1"}},
		{name: "malformed client security group", attr: "network.allowed_security_group_ids", network: hclAttrs{"allowed_security_group_ids": `["web-servers"]`}, want: []string{"Invalid security group ID", `"web-servers" is not a security group ID (sg-...)`}},
		{name: "port below 1024", attr: "network.port", network: hclAttrs{"port": "80"}, want: []string{"network.port", "must be between 1024 and 65535, got: 80"}},
		{name: "port above 65535", attr: "network.port", network: hclAttrs{"port": "70000"}, want: []string{"network.port", "must be between 1024 and 65535, got: 70000"}},
		{name: "Multi-AZ in one subnet", attr: "network.subnet_ids", network: hclAttrs{"subnet_ids": `["subnet-0a1b2c3d"]`}, want: []string{"Multi-AZ needs subnets in two Availability Zones", "give at least two subnet_ids in different AZs, or set multi_az = false"}},

		// provisioned
		{name: "unknown node type family", attr: "provisioned.node_type", provisioned: hclAttrs{"node_type": `"cache.z9.huge"`}, want: []string{"Unknown node type", `"cache.z9.huge" is not an ElastiCache node type`, "cache.<family>.<size> with a family among:", "r7g", "for example cache.r7g.large"}},
		{name: "node type without cache prefix", attr: "provisioned.node_type", provisioned: hclAttrs{"node_type": `"r7g.large"`}, want: []string{"Unknown node type", `"r7g.large"`, "cache.<family>.<size>"}},
		{name: "too many replicas", attr: "provisioned.replicas_per_shard", provisioned: hclAttrs{"replicas_per_shard": "6"}, want: []string{"provisioned.replicas_per_shard", "must be between 0 and 5, got: 6"}},
		{name: "negative replicas", attr: "provisioned.replicas_per_shard", provisioned: hclAttrs{"replicas_per_shard": "-1", "multi_az": "false"}, want: []string{"provisioned.replicas_per_shard", "must be between 0 and 5, got: -1"}},
		{name: "zero shards", attr: "provisioned.shards", provisioned: hclAttrs{"shards": "0"}, want: []string{"provisioned.shards", "must be between 1 and 500, got: 0"}},
		{name: "too many shards", attr: "provisioned.shards", provisioned: hclAttrs{"shards": "501"}, want: []string{"provisioned.shards", "must be between 1 and 500, got: 501"}},
		{name: "too many nodes", attr: "provisioned.shards", provisioned: hclAttrs{"shards": "100", "replicas_per_shard": "5"}, want: []string{"Too many nodes", "100 shards x 6 nodes = 600 nodes; a replication group holds at most 500"}},
		{name: "Multi-AZ without replicas", attr: "provisioned.multi_az", provisioned: hclAttrs{"replicas_per_shard": "0", "multi_az": "true"}, want: []string{"Multi-AZ needs a replica", "multi_az = true needs replicas_per_shard >= 1", "Set replicas_per_shard to 1 or more, or multi_az = false"}},
		{name: "eviction policy not in the list", attr: "provisioned.eviction_policy", provisioned: hclAttrs{"eviction_policy": `"lru"`}, want: []string{"provisioned.eviction_policy", `value must be one of: ["volatile-lru" "allkeys-lru"`, `"noeviction"], got: "lru"`}},
		{name: "eviction policy in the wrong case", attr: "provisioned.eviction_policy", provisioned: hclAttrs{"eviction_policy": `"ALLKEYS-LRU"`}, want: []string{"provisioned.eviction_policy", "value must be one of:", `got: "ALLKEYS-LRU"`}},
		{name: "managed parameter maxmemory-policy", attr: "provisioned.parameters", provisioned: hclAttrs{"parameters": `{ "maxmemory-policy" = "allkeys-lru" }`}, want: []string{"Parameter managed by the stack", `"maxmemory-policy" is set by the stack from provisioned.eviction_policy; set that attribute instead`}},
		{name: "managed parameter cluster-enabled", attr: "provisioned.parameters", provisioned: hclAttrs{"parameters": `{ "cluster-enabled" = "yes" }`}, want: []string{"Parameter managed by the stack", `"cluster-enabled" is set by the stack from provisioned.shards`}},
		{name: "malformed snapshot window", attr: "provisioned.snapshot_window", provisioned: hclAttrs{"snapshot_window": `"3am-4am"`}, want: []string{"Invalid snapshot window", `"3am-4am" is not of the form hh24:mi-hh24:mi (UTC), for example 03:00-04:00`}},
		{name: "short snapshot window", attr: "provisioned.snapshot_window", provisioned: hclAttrs{"snapshot_window": `"03:00-03:30"`}, want: []string{"Invalid snapshot window", "lasts 30 minutes; AWS requires at least 60"}},
		{name: "malformed maintenance window", attr: "provisioned.maintenance_window", provisioned: hclAttrs{"maintenance_window": `"sunday 05:00"`}, want: []string{"Invalid maintenance window", "is not of the form ddd:hh24:mi-ddd:hh24:mi (UTC), for example sun:05:00-sun:06:00"}},
		{name: "short maintenance window", attr: "provisioned.maintenance_window", provisioned: hclAttrs{"maintenance_window": `"sun:05:00-sun:05:20"`}, want: []string{"Invalid maintenance window", "lasts 20 minutes; AWS requires at least 60"}},
		{name: "overlapping windows", attr: "provisioned.snapshot_window", provisioned: hclAttrs{"snapshot_window": `"05:00-06:00"`, "maintenance_window": `"sun:05:30-sun:06:30"`}, want: []string{"Snapshot and maintenance windows overlap", `snapshot_window "05:00-06:00" overlaps maintenance_window "sun:05:30-sun:06:30"; AWS requires them to be apart`}},
		{name: "overlapping windows across midnight", attr: "provisioned.snapshot_window", provisioned: hclAttrs{"snapshot_window": `"23:30-00:30"`, "maintenance_window": `"mon:00:00-mon:01:00"`}, want: []string{"Snapshot and maintenance windows overlap", `snapshot_window "23:30-00:30" overlaps maintenance_window`}},
		{name: "snapshot retention too long", attr: "provisioned.snapshot_retention_days", provisioned: hclAttrs{"snapshot_retention_days": "36"}, want: []string{"provisioned.snapshot_retention_days", "must be between 0 and 35, got: 36"}},
		{name: "final snapshot name starts with a digit", attr: "provisioned.final_snapshot_name", provisioned: hclAttrs{"final_snapshot_name": `"1-final"`}, want: []string{"Invalid snapshot name", `"1-final" must start with a letter and contain only letters, digits and hyphens`}},
		{name: "final snapshot name with underscore", attr: "provisioned.final_snapshot_name", provisioned: hclAttrs{"final_snapshot_name": `"final_snap"`}, want: []string{"Invalid snapshot name", "only letters, digits and hyphens"}},

		// provisioned.autoscaling (AWS's prerequisites and ranges)
		{name: "autoscaling without cluster mode", attr: "provisioned.autoscaling", provisioned: hclAttrs{"autoscaling": "{ replicas = { max = 3, target_cpu_percent = 60 } }"},
			want: []string{"Autoscaling not supported", "AWS auto scales cluster-mode replication groups only; set shards to 2 or more"}},
		{name: "autoscaling on a t4g node", attr: "provisioned.autoscaling", provisioned: hclAttrs{"shards": "2", "node_type": `"cache.t4g.medium"`, "autoscaling": "{ replicas = { max = 3, target_cpu_percent = 60 } }"},
			want: []string{"Autoscaling not supported", "in sizes large, xlarge, 2xlarge; node_type is cache.t4g.medium"}},
		{name: "configured replicas below the autoscaling minimum", attr: "provisioned.autoscaling.replicas", provisioned: hclAttrs{"shards": "2", "autoscaling": "{ replicas = { min = 2, max = 3, target_cpu_percent = 60 } }"},
			want: []string{"Configured count outside the autoscaling range", "replicas_per_shard = 1 is below the autoscaling minimum 2"}},
		{name: "shards above the autoscaling maximum", attr: "provisioned.autoscaling.shards", provisioned: hclAttrs{"shards": "5", "autoscaling": "{ shards = { max = 4, target_memory_percent = 60 } }"},
			want: []string{"Configured count outside the autoscaling range", "shards = 5 is above the autoscaling maximum 4"}},
		{name: "autoscaling target above 70 percent", attr: "provisioned.autoscaling.replicas.target_cpu_percent", provisioned: hclAttrs{"shards": "2", "autoscaling": "{ replicas = { max = 3, target_cpu_percent = 80 } }"},
			want: []string{"provisioned.autoscaling.replicas.target_cpu_percent", "must be between 35", "and 70", "got: 80"}},

		// engine and version
		{name: "redis with a valkey version", attr: "engine_version", top: hclAttrs{"engine": `"redis"`, "engine_version": `"8.0"`}, want: []string{"Unsupported engine version", "engine_version", `engine "redis" does not offer version "8.0"; valid choices: 6.0, 6.2, 7.0, 7.1`}},
		{name: "valkey with a redis version", attr: "engine_version", top: hclAttrs{"engine_version": `"6.2"`}, want: []string{"Unsupported engine version", "engine_version", `engine "valkey" does not offer version "6.2"; valid choices: 7.2, 8.0, 8.1`}},
		{name: "malformed version", attr: "engine_version", top: hclAttrs{"engine_version": `"eight"`}, want: []string{"Unsupported engine version", "engine_version", "valid choices: 7.2, 8.0, 8.1"}},
		{name: "unknown engine", attr: "engine", top: hclAttrs{"engine": `"keydb"`}, want: []string{"engine", `value must be one of: ["valkey" "redis"`, `got: "keydb"`}},
		{name: "unknown mode", attr: "mode", top: hclAttrs{"mode": `"dedicated"`}, want: []string{"mode", `value must be one of: ["provisioned"`, `got: "dedicated"`}},

		// security
		{name: "transit encryption off", attr: "security.transit_encryption_mode", security: hclAttrs{"transit_encryption_mode": `"disabled"`}, want: []string{"security.transit_encryption_mode", `value must be one of: ["required" "preferred"], got: "disabled"`}},
		{name: "AUTH with RBAC", attr: "security.auth_token_wo", security: hclAttrs{"auth_token_wo": validToken, "auth_token_wo_version": "1", "user_group_id": `"app-users"`}, want: []string{"AUTH token and RBAC together", "set either auth_token_wo (a single shared AUTH token) or user_group_id (RBAC users and ACLs), not both"}},
		{name: "weak token: one character repeated", attr: "security.auth_token_wo", security: hclAttrs{"auth_token_wo": `"aaaaaaaaaaaaaaaaaaaa"`, "auth_token_wo_version": "1"}, want: []string{"Weak AUTH token", "use a random value"}},
		{name: "weak token: short pattern repeated", attr: "security.auth_token_wo", security: hclAttrs{"auth_token_wo": `"abc1abc1abc1abc1abc1"`, "auth_token_wo_version": "1"}, want: []string{"Weak AUTH token", "repeats a single character or a short pattern"}},
		{name: "token too short", attr: "security.auth_token_wo", security: hclAttrs{"auth_token_wo": `"Sh0rt-token"`, "auth_token_wo_version": "1"}, want: []string{"Invalid AUTH token", "the token has 11 characters; AWS requires 16 to 128"}},
		{name: "token too long", attr: "security.auth_token_wo", security: hclAttrs{"auth_token_wo": `"` + strings.Repeat("Ab3-", 33) + `"`, "auth_token_wo_version": "1"}, want: []string{"Invalid AUTH token", "the token has 132 characters; AWS requires 16 to 128"}},
		{name: "token with a refused symbol", attr: "security.auth_token_wo", security: hclAttrs{"auth_token_wo": `"Str0ng-Token@Value-4821"`, "auth_token_wo_version": "1"}, want: []string{"Invalid AUTH token", "only letters, digits and the special characters ! & # $ ^ < > -"}},
		{name: "token with a space", attr: "security.auth_token_wo", security: hclAttrs{"auth_token_wo": `"Str0ng Token Value 4821"`, "auth_token_wo_version": "1"}, want: []string{"Invalid AUTH token", "(no spaces,"}},
		{name: "token without version", attr: "security.auth_token_wo_version", security: hclAttrs{"auth_token_wo": validToken}, want: []string{"Missing AUTH token version", "set auth_token_wo_version (for example 1) with it"}},
		{name: "token version without token", attr: "security.auth_token_wo_version", security: hclAttrs{"auth_token_wo_version": "1"}, want: []string{"AUTH token version without a token", "auth_token_wo_version versions auth_token_wo; set the token too, or remove the version"}},
		{name: "malformed KMS key ARN", attr: "security.kms_key_arn", security: hclAttrs{"kms_key_arn": `"my-key"`}, want: []string{"Invalid KMS key ARN", `"my-key" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`}},
		{name: "KMS key ARN of another service", attr: "security.kms_key_arn", security: hclAttrs{"kms_key_arn": `"arn:aws:sns:us-east-1:123456789012:key/abc"`}, want: []string{"Invalid KMS key ARN", "arn:aws:kms:<region>:<account>:key/<id>"}},

		// notifications, alarms, tags, timeouts
		{name: "malformed SNS topic ARN", attr: "notification_topic_arn", top: hclAttrs{"notification_topic_arn": `"cache-events"`}, want: []string{"Invalid SNS topic ARN", "notification_topic_arn", `"cache-events" is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)`}},
		{name: "SNS ARN of another service", attr: "notification_topic_arn", top: hclAttrs{"notification_topic_arn": `"arn:aws:sqs:us-east-1:123456789012:events"`}, want: []string{"Invalid SNS topic ARN", "notification_topic_arn", "arn:aws:sns:<region>:<account>:<topic>"}},
		{name: "unknown alarm override key", attr: "alarms.overrides", extra: "  alarms = {\n    overrides = {\n      cpu_usage = { threshold = 80 }\n    }\n  }\n", want: []string{"Unknown alarm", `"cpu_usage" is not an alarm of the stack; valid keys:`, "engine_cpu"}},
		{name: "negative alarm threshold", attr: "alarms.overrides", extra: "  alarms = {\n    overrides = {\n      evictions = { threshold = -1 }\n    }\n  }\n", want: []string{"Negative threshold", `alarm "evictions": threshold must be 0 or more, got -1`}},
		{name: "percentage alarm above 100", attr: "alarms.overrides", extra: "  alarms = {\n    overrides = {\n      memory = { threshold = 120 }\n    }\n  }\n", want: []string{"Threshold above 100 %", `alarm "memory" is a percentage; threshold must be 0 to 100, got 120`}},
		{name: "too many tags", attr: "tags", extra: "  tags = {\n" + strings.Join(manyTags, "\n") + "\n  }\n", want: []string{"Too many tags", "tags", "ElastiCache accepts at most 50 tags per resource, including provider default_tags; got 51"}},
		{name: "reserved aws: tag key", attr: "tags", extra: "  tags = {\n    \"aws:team\" = \"x\"\n  }\n", want: []string{"Reserved tag key", "tags", `tag key "aws:team" uses the reserved prefix "aws:"`}},
		{name: "reserved AWS: tag key in upper case", attr: "tags", extra: "  tags = {\n    \"AWS:cost-center\" = \"x\"\n  }\n", want: []string{"Reserved tag key", "tags", `"AWS:cost-center" uses the reserved prefix`}},
		{name: "malformed timeout", attr: "timeouts.create", extra: "  timeouts = {\n    create = \"soon\"\n  }\n", want: []string{"Invalid Attribute Value Time Duration", `"soon" must be a string containing a sequence of decimal numbers`, `Valid time units are`}, upstream: true},
	}
}

// TestAccStack_badInputFailsAtPlan runs the whole table: each configuration fails at plan with
// a message naming the attribute and the valid choices, and nothing reaches AWS that could
// create or change anything.
func TestAccStack_badInputFailsAtPlan(t *testing.T) {
	cases := badInputs()
	if len(cases) < 30 {
		t.Fatalf("the table has %d cases; keep at least 30", len(cases))
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: validStackHCL(t, c), PlanOnly: true, ExpectError: inOrder(c.want...)})
	}
	refusedAtPlan(t, steps)
	t.Logf("%d invalid configurations rejected at plan", len(cases))
}

// TestAccStack_badInputBaseIsValid guards the table: its base configuration plans cleanly, so
// every failure above comes from the one thing each case breaks.
func TestAccStack_badInputBaseIsValid(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config:             validStackHCL(t, badInput{security: hclAttrs{"auth_token_wo": `"Str0ng-Token-Value-4821"`, "auth_token_wo_version": "1"}}),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
}

// TestAccStack_badInputNamesTheAttribute asserts what a reviewer needs most: every error names
// the attribute at fault by its path, wherever it is nested (the summary, rule and choices are
// asserted by TestAccStack_badInputFailsAtPlan).
func TestAccStack_badInputNamesTheAttribute(t *testing.T) {
	var steps []resource.TestStep
	for _, c := range badInputs() {
		if c.upstream {
			continue
		}
		steps = append(steps, resource.TestStep{Config: validStackHCL(t, c), PlanOnly: true, ExpectError: regexp.MustCompile(`\b` + regexp.QuoteMeta(c.attr) + `\b`)})
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    steps,
	})
}

// TestAccStack_valuesKnownOnlyAtApply: subnet IDs and tag values that other resources compute
// (unknown at plan, inside a known list or map) pass validation and plan; they are checked once
// known.
func TestAccStack_valuesKnownOnlyAtApply(t *testing.T) {
	n := acctest.Network(t)
	config := fmt.Sprintf(`
resource "terraform_data" "late" {
  input = { subnet = %q, team = "ai-platform" }
}

resource "elasticache_stack" "test" {
  count = 2
  name  = "acc-late-values-${count.index}"
  network = {
    subnet_ids                 = [terraform_data.late.output.subnet, %s]
    allowed_security_group_ids = [%q]
  }
  provisioned = {
    node_type          = "cache.r7g.large"
    replicas_per_shard = 1
  }
  tags = {
    team  = terraform_data.late.output.team
    index = tostring(count.index)
  }
}
`, n.SubnetIDs[0], strings.Trim(acctest.HCLList(n.SubnetIDs[1:]), "[]"), n.AppGroupID)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config, PlanOnly: true, ExpectNonEmptyPlan: true}},
	})
}
