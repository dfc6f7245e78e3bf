package tags

import (
	"reflect"
	"testing"
)

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
