package stack_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// stackConfig describes one elasticache_stack for a test; zero values take the quickstart shape.
type stackConfig struct {
	Name        string
	NodeType    string
	Shards      int
	Replicas    int
	Port        int
	Eviction    string
	Parameters  map[string]string
	CIDRs       []string
	Security    string // body of the security block, if any
	Tags        map[string]string
	ExtraTop    string // more top-level attributes
	ProviderHCL string // a provider block, if the test needs one
	Variables   string
	Mode        string // "serverless" or "" (provisioned)
	Engine      string
	// Serverless is the body of the serverless block; Provisioned replaces the generated
	// provisioned block's body ("-" omits the block).
	Serverless  string
	Provisioned string
	// Network adds lines to the network block; SubnetIDs and AppGroupID replace the test
	// network's (a stack in another VPC).
	Network    string
	SubnetIDs  []string
	AppGroupID string
	// ApplyImmediately adds apply_immediately = true to the generated provisioned block.
	ApplyImmediately bool
}

func (c stackConfig) HCL(t *testing.T) string {
	t.Helper()
	n := acctest.Network(t)
	nodeType := c.NodeType
	if nodeType == "" {
		nodeType = "cache.r7g.large"
	}
	shards, replicas := max(c.Shards, 1), c.Replicas
	if replicas < 0 {
		replicas = 0
	}
	var b strings.Builder
	b.WriteString(c.ProviderHCL)
	b.WriteString(c.Variables)
	fmt.Fprintf(&b, "resource \"elasticache_stack\" \"test\" {\n  name = %q\n", c.Name)
	if c.Mode != "" {
		fmt.Fprintf(&b, "  mode = %q\n", c.Mode)
	}
	if c.Engine != "" {
		fmt.Fprintf(&b, "  engine = %q\n", c.Engine)
	}
	if c.Serverless != "" {
		fmt.Fprintf(&b, "  serverless = {\n%s\n  }\n", c.Serverless)
	}
	b.WriteString("  network = {\n")
	subnets, appGroup := n.SubnetIDs, n.AppGroupID
	if c.SubnetIDs != nil {
		subnets, appGroup = c.SubnetIDs, c.AppGroupID
	}
	fmt.Fprintf(&b, "    subnet_ids = %s\n    allowed_security_group_ids = [%q]\n%s", acctest.HCLList(subnets), appGroup, c.Network)
	if len(c.CIDRs) > 0 {
		fmt.Fprintf(&b, "    allowed_cidr_blocks = %s\n", acctest.HCLList(c.CIDRs))
	}
	if c.Port != 0 {
		fmt.Fprintf(&b, "    port = %d\n", c.Port)
	}
	b.WriteString("  }\n")
	switch {
	case c.Provisioned == "-" || (c.Mode == "serverless" && c.Provisioned == ""):
	case c.Provisioned != "":
		fmt.Fprintf(&b, "  provisioned = {\n%s\n  }\n", c.Provisioned)
	default:
		b.WriteString("  provisioned = {\n")
		fmt.Fprintf(&b, "    node_type = %q\n    shards = %d\n    replicas_per_shard = %d\n    multi_az = %t\n", nodeType, shards, replicas, replicas > 0)
		if c.Eviction != "" {
			fmt.Fprintf(&b, "    eviction_policy = %q\n", c.Eviction)
		}
		if c.ApplyImmediately {
			b.WriteString("    apply_immediately = true\n")
		}
		writeMap(&b, "    ", "parameters", c.Parameters)
		b.WriteString("  }\n")
	}
	if c.Security != "" {
		fmt.Fprintf(&b, "  security = {\n%s\n  }\n", c.Security)
	}
	writeMap(&b, "  ", "tags", c.Tags)
	b.WriteString(c.ExtraTop)
	b.WriteString("}\n")
	return b.String()
}

// writeMap writes name = { "key" = "value" ... } at indent, keys sorted; nothing when m is empty.
func writeMap(b *strings.Builder, indent, name string, m map[string]string) {
	if len(m) == 0 {
		return
	}
	fmt.Fprintf(b, "%s%s = {\n", indent, name)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(b, "%s  %q = %q\n", indent, k, m[k])
	}
	fmt.Fprintf(b, "%s}\n", indent)
}

// quickstart is the shape of examples/quickstart: 1 shard, 2 replicas.
func quickstart(name string) stackConfig {
	return stackConfig{Name: name, Replicas: 2, Tags: map[string]string{"team": "ai-platform"}}
}
