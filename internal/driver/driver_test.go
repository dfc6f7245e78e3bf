package driver

import (
	"testing"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// TestEveryKindHasADriver: each kind a blueprint can build has a driver, and its ARN carries
// the resource type AWS uses for that kind.
func TestEveryKindHasADriver(t *testing.T) {
	for shape, want := range map[blueprint.Shape]string{
		blueprint.ShapeReplicationGroup: "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:c",
		blueprint.ShapeMemcachedCluster: "arn:aws:elasticache:eu-west-1:123456789012:cluster:c",
		blueprint.ShapeServerless:       "arn:aws:elasticache:eu-west-1:123456789012:serverlesscache:c",
	} {
		if got := For(shape).ARN("aws", "eu-west-1", "123456789012", "c"); got != want {
			t.Errorf("%s: ARN = %q, want %q", shape, got, want)
		}
	}
	if len(drivers) != 3 {
		t.Errorf("%d drivers registered, want one per kind (3)", len(drivers))
	}
}

// TestSpecOfRefusesAnotherKind: a driver handed the spec of another kind stops at once.
func TestSpecOfRefusesAnotherKind(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("specOf returned a spec of the wrong kind")
		}
	}()
	specOf[blueprint.ReplicationGroupSpec](blueprint.Stack{Shape: blueprint.ShapeServerless, Cache: blueprint.ServerlessCacheSpec{}})
}
