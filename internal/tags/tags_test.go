package tags

import (
	"reflect"
	"testing"
)

func TestMergeTags(t *testing.T) {
	cases := []struct {
		name     string
		defaults map[string]string
		resource map[string]string
		want     map[string]string
	}{
		{name: "both nil", want: map[string]string{}},
		{name: "both empty", defaults: map[string]string{}, resource: map[string]string{}, want: map[string]string{}},
		{name: "defaults only", defaults: map[string]string{"team": "platform"}, want: map[string]string{"team": "platform"}},
		{name: "resource only", resource: map[string]string{"app": "chat"}, want: map[string]string{"app": "chat"}},
		{
			name:     "disjoint keys are unioned",
			defaults: map[string]string{"team": "platform", "env": "prod"},
			resource: map[string]string{"app": "chat"},
			want:     map[string]string{"team": "platform", "env": "prod", "app": "chat"},
		},
		{
			name:     "resource wins on conflict",
			defaults: map[string]string{"env": "prod", "team": "platform"},
			resource: map[string]string{"env": "staging"},
			want:     map[string]string{"env": "staging", "team": "platform"},
		},
		{
			name:     "resource empty value still wins",
			defaults: map[string]string{"env": "prod"},
			resource: map[string]string{"env": ""},
			want:     map[string]string{"env": ""},
		},
		{
			name:     "keys are case sensitive",
			defaults: map[string]string{"Env": "prod"},
			resource: map[string]string{"env": "dev"},
			want:     map[string]string{"Env": "prod", "env": "dev"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := MergeTags(tc.defaults, tc.resource)
			if got == nil {
				t.Fatal("MergeTags returned nil")
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("MergeTags(%v, %v) = %v, want %v", tc.defaults, tc.resource, got, tc.want)
			}
		})
	}
}

func TestMergeTagsDoesNotModifyInputs(t *testing.T) {
	defaults := map[string]string{"env": "prod"}
	resource := map[string]string{"env": "dev", "app": "chat"}
	got := MergeTags(defaults, resource)
	got["new"] = "x"
	if !reflect.DeepEqual(defaults, map[string]string{"env": "prod"}) {
		t.Errorf("defaults modified: %v", defaults)
	}
	if !reflect.DeepEqual(resource, map[string]string{"env": "dev", "app": "chat"}) {
		t.Errorf("resource modified: %v", resource)
	}
}

func TestIgnoreConfig(t *testing.T) {
	c := IgnoreConfig{Keys: []string{"CostCenter"}, KeyPrefixes: []string{"aws:", "org/"}}
	in := map[string]string{"CostCenter": "1", "aws:createdBy": "x", "org/owner": "y", "team": "ai", "Org/owner": "kept"}
	got := c.Remove(in)
	want := map[string]string{"team": "ai", "Org/owner": "kept"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Remove = %v, want %v", got, want)
	}
	if len(in) != 5 {
		t.Fatal("Remove modified its input")
	}
	if (IgnoreConfig{}).Ignored("anything") {
		t.Fatal("the zero IgnoreConfig must ignore nothing")
	}
	if c.Remove(nil) != nil {
		t.Fatal("Remove(nil) must stay nil")
	}
}
