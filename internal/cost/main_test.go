package cost

import (
	"os"
	"testing"

	"github.com/cachestack/terraform-provider-elasticache/internal/cost/costtest"
)

// TestMain stops the emulator the emulator tests may have started.
func TestMain(m *testing.M) {
	code := m.Run()
	costtest.Stop()
	os.Exit(code)
}
