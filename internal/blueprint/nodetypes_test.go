package blueprint

import (
	"slices"
	"sort"
	"strings"
	"testing"
)

func TestLookupNodeType(t *testing.T) {
	tests := []struct {
		name string
		want NodeType
	}{
		{"cache.r7g.large", NodeType{Name: "cache.r7g.large", Family: "r7g", VCPU: 2, MemoryGiB: 13.07, Generation: "current"}},
		{"cache.r7g.16xlarge", NodeType{Name: "cache.r7g.16xlarge", Family: "r7g", VCPU: 64, MemoryGiB: 419.09, Generation: "current"}},
		{"cache.t4g.micro", NodeType{Name: "cache.t4g.micro", Family: "t4g", VCPU: 2, MemoryGiB: 0.5, Generation: "current"}},
		{"cache.t3.medium", NodeType{Name: "cache.t3.medium", Family: "t3", VCPU: 2, MemoryGiB: 3.09, Generation: "current"}},
		{"cache.m7g.large", NodeType{Name: "cache.m7g.large", Family: "m7g", VCPU: 2, MemoryGiB: 6.38, Generation: "current"}},
		{"cache.m6g.xlarge", NodeType{Name: "cache.m6g.xlarge", Family: "m6g", VCPU: 4, MemoryGiB: 12.93, Generation: "current"}},
		{"cache.r6gd.xlarge", NodeType{Name: "cache.r6gd.xlarge", Family: "r6gd", VCPU: 4, MemoryGiB: 26.32, SSDGiB: 99.33, Generation: "current"}},
		{"cache.r5.24xlarge", NodeType{Name: "cache.r5.24xlarge", Family: "r5", VCPU: 96, MemoryGiB: 635.61, Generation: "previous"}},
		{"cache.t2.micro", NodeType{Name: "cache.t2.micro", Family: "t2", VCPU: 1, MemoryGiB: 0.555, Generation: "previous"}},
	}
	for _, tt := range tests {
		got, ok := LookupNodeType(tt.name)
		if !ok {
			t.Errorf("LookupNodeType(%q): not found", tt.name)
			continue
		}
		if got != tt.want {
			t.Errorf("LookupNodeType(%q) = %+v, want %+v", tt.name, got, tt.want)
		}
	}
	for _, name := range []string{"", "r7g.large", "cache.r7g", "cache.r7g.huge", "cache.r6gd.large", "cache.t4g.large", "CACHE.R7G.LARGE", "cache.x1.large"} {
		if n, ok := LookupNodeType(name); ok {
			t.Errorf("LookupNodeType(%q) = %+v, want not found", name, n)
		}
	}
}

func TestNodeTypeCatalogueIsConsistent(t *testing.T) {
	families := map[string]bool{}
	for _, f := range NodeTypeFamilies() {
		families[f] = true
	}
	count := 0
	for _, f := range NodeTypeFamilies() {
		for _, n := range NodeTypesInFamily(f) {
			count++
			if n.Family != f || NodeTypeFamily(n.Name) != f || !strings.HasPrefix(n.Name, "cache."+f+".") {
				t.Errorf("%+v: name and family disagree", n)
			}
			if got, ok := LookupNodeType(n.Name); !ok || got != n {
				t.Errorf("%s: LookupNodeType disagrees with NodeTypesInFamily", n.Name)
			}
			if n.VCPU <= 0 || n.MemoryGiB <= 0 {
				t.Errorf("%+v: vCPU and memory must be positive", n)
			}
			if (n.SSDGiB > 0) != (f == "r6gd") {
				t.Errorf("%+v: only r6gd has data-tiering SSD", n)
			}
			if n.Generation != "current" && n.Generation != "previous" {
				t.Errorf("%+v: generation %q", n, n.Generation)
			}
		}
	}
	if count != len(nodeTypes) {
		t.Errorf("families cover %d node types, catalogue has %d", count, len(nodeTypes))
	}
}

func TestNodeTypeFamilies(t *testing.T) {
	got := NodeTypeFamilies()
	want := []string{"m4", "m5", "m6g", "m7g", "r4", "r5", "r6g", "r6gd", "r7g", "t2", "t3", "t4g"}
	if !slices.Equal(got, want) {
		t.Errorf("NodeTypeFamilies() = %v, want %v", got, want)
	}
	if !sort.StringsAreSorted(got) {
		t.Errorf("NodeTypeFamilies() not sorted: %v", got)
	}
	got[0] = "zz"
	if NodeTypeFamilies()[0] != "m4" {
		t.Error("NodeTypeFamilies returns shared state")
	}
}

func TestNodeTypesInFamily(t *testing.T) {
	tests := []struct {
		family string
		want   []string
	}{
		{"r7g", []string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"}},
		{"t4g", []string{"micro", "small", "medium"}},
		{"r6gd", []string{"xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"}},
		{"m5", []string{"large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"}},
		{"t2", []string{"micro", "small", "medium"}},
		{"x9", nil},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.family, func(t *testing.T) {
			var got []string
			prev := 0.0
			for _, n := range NodeTypesInFamily(tt.family) {
				got = append(got, strings.TrimPrefix(n.Name, "cache."+tt.family+"."))
				if n.MemoryGiB <= prev {
					t.Errorf("%s: memory %.2f GiB not above the previous %.2f GiB", n.Name, n.MemoryGiB, prev)
				}
				prev = n.MemoryGiB
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("NodeTypesInFamily(%q) = %v, want %v", tt.family, got, tt.want)
			}
		})
	}
}

func TestNodeTypeFamilyOfName(t *testing.T) {
	tests := []struct{ name, want string }{
		{"cache.r7g.large", "r7g"},
		{"cache.r6gd.xlarge", "r6gd"},
		{"cache.t4g.micro", "t4g"},
		{"r7g.large", ""},
		{"cache.r7g", ""},
		{"db.r7g.large", ""},
		{"cache.r7g.large.extra", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NodeTypeFamily(tt.name); got != tt.want {
			t.Errorf("NodeTypeFamily(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
