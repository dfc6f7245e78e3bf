package stack_test

import (
	"testing"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }
