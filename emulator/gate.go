package emulator

import (
	"os"
	"testing"
)

// SkipUnlessAcc is the one gate of every test that needs an AWS endpoint (the bundled emulator,
// LocalStack or AWS), in every package and module: like terraform-plugin-testing's
// resource.Test, it skips the test unless TF_ACC is set, so a plain `go test ./...` runs the unit
// tests only. Helpers that need the endpoint call it first, so a test that calls one of them
// before resource.Test skips with this message instead of failing.
func SkipUnlessAcc(t testing.TB) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 to run it against the bundled emulator " +
			"(or ELASTICACHE_TEST_ENDPOINT for LocalStack or AWS); make testacc does")
	}
}
