package blueprint

import (
	"sort"
	"strings"
)

// NodeType holds the facts about an ElastiCache node type that decisions depend on: memory for
// right-sizing, vCPUs for choosing CPUUtilization vs EngineCPUUtilization alarms, and whether the
// generation is current.
type NodeType struct {
	Name       string
	Family     string // e.g. "r7g"
	VCPU       int
	MemoryGiB  float64
	SSDGiB     float64 // data tiering (r6gd) only
	Generation string  // "current" or "previous"
}

// nodeTypes lists the node types the provider accepts. Memory and vCPU figures are the ones AWS
// publishes on "Supported node types" in the ElastiCache user guide.
var nodeTypes = map[string]NodeType{}

func addFamily(family, generation string, sizes []NodeType) {
	for _, n := range sizes {
		n.Family = family
		n.Generation = generation
		n.Name = "cache." + family + "." + n.Name
		nodeTypes[n.Name] = n
	}
}

func init() {
	burstable := []NodeType{{Name: "micro", VCPU: 2, MemoryGiB: 0.5}, {Name: "small", VCPU: 2, MemoryGiB: 1.37}, {Name: "medium", VCPU: 2, MemoryGiB: 3.09}}
	addFamily("t4g", "current", burstable)
	addFamily("t3", "current", burstable)
	general := []NodeType{
		{Name: "large", VCPU: 2, MemoryGiB: 6.38}, {Name: "xlarge", VCPU: 4, MemoryGiB: 12.93},
		{Name: "2xlarge", VCPU: 8, MemoryGiB: 26.04}, {Name: "4xlarge", VCPU: 16, MemoryGiB: 52.26},
		{Name: "8xlarge", VCPU: 32, MemoryGiB: 103.68}, {Name: "12xlarge", VCPU: 48, MemoryGiB: 157.12},
		{Name: "16xlarge", VCPU: 64, MemoryGiB: 209.55},
	}
	addFamily("m7g", "current", general)
	addFamily("m6g", "current", general)
	memory := []NodeType{
		{Name: "large", VCPU: 2, MemoryGiB: 13.07}, {Name: "xlarge", VCPU: 4, MemoryGiB: 26.32},
		{Name: "2xlarge", VCPU: 8, MemoryGiB: 52.82}, {Name: "4xlarge", VCPU: 16, MemoryGiB: 105.81},
		{Name: "8xlarge", VCPU: 32, MemoryGiB: 209.55}, {Name: "12xlarge", VCPU: 48, MemoryGiB: 317.77},
		{Name: "16xlarge", VCPU: 64, MemoryGiB: 419.09},
	}
	addFamily("r7g", "current", memory)
	addFamily("r6g", "current", memory)
	addFamily("r6gd", "current", []NodeType{
		{Name: "xlarge", VCPU: 4, MemoryGiB: 26.32, SSDGiB: 99.33}, {Name: "2xlarge", VCPU: 8, MemoryGiB: 52.82, SSDGiB: 199.07},
		{Name: "4xlarge", VCPU: 16, MemoryGiB: 105.81, SSDGiB: 398.14}, {Name: "8xlarge", VCPU: 32, MemoryGiB: 209.55, SSDGiB: 796.28},
		{Name: "12xlarge", VCPU: 48, MemoryGiB: 317.77, SSDGiB: 1194.42}, {Name: "16xlarge", VCPU: 64, MemoryGiB: 419.09, SSDGiB: 1592.56},
	})
	addFamily("m5", "previous", []NodeType{
		{Name: "large", VCPU: 2, MemoryGiB: 6.38}, {Name: "xlarge", VCPU: 4, MemoryGiB: 12.93},
		{Name: "2xlarge", VCPU: 8, MemoryGiB: 26.04}, {Name: "4xlarge", VCPU: 16, MemoryGiB: 52.26},
		{Name: "12xlarge", VCPU: 48, MemoryGiB: 157.12}, {Name: "24xlarge", VCPU: 96, MemoryGiB: 314.32},
	})
	addFamily("r5", "previous", []NodeType{
		{Name: "large", VCPU: 2, MemoryGiB: 13.07}, {Name: "xlarge", VCPU: 4, MemoryGiB: 26.32},
		{Name: "2xlarge", VCPU: 8, MemoryGiB: 52.82}, {Name: "4xlarge", VCPU: 16, MemoryGiB: 105.81},
		{Name: "12xlarge", VCPU: 48, MemoryGiB: 317.77}, {Name: "24xlarge", VCPU: 96, MemoryGiB: 635.61},
	})
	addFamily("m4", "previous", []NodeType{
		{Name: "large", VCPU: 2, MemoryGiB: 6.42}, {Name: "xlarge", VCPU: 4, MemoryGiB: 14.28},
		{Name: "2xlarge", VCPU: 8, MemoryGiB: 29.7}, {Name: "4xlarge", VCPU: 16, MemoryGiB: 60.78},
	})
	addFamily("r4", "previous", []NodeType{
		{Name: "large", VCPU: 2, MemoryGiB: 12.3}, {Name: "xlarge", VCPU: 4, MemoryGiB: 25.05},
		{Name: "2xlarge", VCPU: 8, MemoryGiB: 50.47}, {Name: "4xlarge", VCPU: 16, MemoryGiB: 101.38},
	})
	addFamily("t2", "previous", []NodeType{{Name: "micro", VCPU: 1, MemoryGiB: 0.555}, {Name: "small", VCPU: 1, MemoryGiB: 1.55}, {Name: "medium", VCPU: 2, MemoryGiB: 3.22}})
}

// LookupNodeType returns the facts for a node type name such as "cache.r7g.large".
func LookupNodeType(name string) (NodeType, bool) {
	n, ok := nodeTypes[name]
	return n, ok
}

// NodeTypeFamilies returns the accepted families, sorted, for error messages.
func NodeTypeFamilies() []string {
	seen := map[string]bool{}
	for _, n := range nodeTypes {
		seen[n.Family] = true
	}
	out := make([]string, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// NodeTypesInFamily returns the node type names of one family, smallest first.
func NodeTypesInFamily(family string) []NodeType {
	var out []NodeType
	for _, n := range nodeTypes {
		if n.Family == family {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].MemoryGiB < out[j].MemoryGiB })
	return out
}

// NodeTypeFamily extracts "r7g" from "cache.r7g.large"; empty when the name is malformed.
func NodeTypeFamily(name string) string {
	parts := strings.Split(name, ".")
	if len(parts) != 3 || parts[0] != "cache" {
		return ""
	}
	return parts[1]
}

// DataTiering reports whether a node type keeps data on SSD (the r6gd family): AWS requires
// DataTieringEnabled=true for it, and fixes data tiering when the group is created.
func DataTiering(nodeType string) bool { return NodeTypeFamily(nodeType) == "r6gd" }
