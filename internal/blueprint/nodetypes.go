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

// sizeVCPUs is the vCPU count of each non-burstable size name; it is the same in every family
// on AWS's "Supported node types" page, so the families below list only their memory.
var sizeVCPUs = map[string]int{"large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32, "12xlarge": 48, "16xlarge": 64, "24xlarge": 96}

// sized pairs the space-separated size names with their memory in GiB, in order.
func sized(names string, memoryGiB ...float64) []NodeType {
	fields := strings.Fields(names)
	if len(fields) != len(memoryGiB) {
		panic("nodetypes: " + names + ": one memory figure per size")
	}
	out := make([]NodeType, len(fields))
	for i, name := range fields {
		out[i] = NodeType{Name: name, VCPU: sizeVCPUs[name], MemoryGiB: memoryGiB[i]}
	}
	return out
}

func init() {
	burstable := []NodeType{{Name: "micro", VCPU: 2, MemoryGiB: 0.5}, {Name: "small", VCPU: 2, MemoryGiB: 1.37}, {Name: "medium", VCPU: 2, MemoryGiB: 3.09}}
	addFamily("t4g", "current", burstable)
	addFamily("t3", "current", burstable)
	const graviton = "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge"
	general := sized(graviton, 6.38, 12.93, 26.04, 52.26, 103.68, 157.12, 209.55)
	addFamily("m7g", "current", general)
	addFamily("m6g", "current", general)
	memory := sized(graviton, 13.07, 26.32, 52.82, 105.81, 209.55, 317.77, 419.09)
	addFamily("r7g", "current", memory)
	addFamily("r6g", "current", memory)
	tiered := sized("xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge", 26.32, 52.82, 105.81, 209.55, 317.77, 419.09)
	for i, ssd := range []float64{99.33, 199.07, 398.14, 796.28, 1194.42, 1592.56} {
		tiered[i].SSDGiB = ssd
	}
	addFamily("r6gd", "current", tiered)
	const fifthGeneration = "large xlarge 2xlarge 4xlarge 12xlarge 24xlarge"
	addFamily("m5", "previous", sized(fifthGeneration, 6.38, 12.93, 26.04, 52.26, 157.12, 314.32))
	addFamily("r5", "previous", sized(fifthGeneration, 13.07, 26.32, 52.82, 105.81, 317.77, 635.61))
	const fourthGeneration = "large xlarge 2xlarge 4xlarge"
	addFamily("m4", "previous", sized(fourthGeneration, 6.42, 14.28, 29.7, 60.78))
	addFamily("r4", "previous", sized(fourthGeneration, 12.3, 25.05, 50.47, 101.38))
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
