package driver

import (
	"fmt"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// specOf is the stack's cache spec as the kind a driver handles. driver.For hands each driver
// only stacks of its kind, so a mismatch is a bug.
func specOf[T blueprint.CacheSpec](s blueprint.Stack) T {
	spec, ok := s.Cache.(T)
	if !ok {
		panic(fmt.Sprintf("driver got a %T spec for a %s stack", s.Cache, s.Shape))
	}
	return spec
}
