package stack_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

func errorsAs[T error](err error, target *T) bool { return err != nil && errors.As(err, target) }

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// flexible compiles an expected error text so that any run of spaces also matches the line
// breaks Terraform inserts when it wraps diagnostics.
func flexible(pattern string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(pattern, " ", `\s+`))
}

// refusedAtPlan runs plan-only steps that must each fail, and asserts that none of them made a
// mutating call (invalid input fails at plan time; nothing is created).
func refusedAtPlan(t *testing.T, steps []resource.TestStep) {
	t.Helper()
	e := acctest.Local
	if e != nil {
		if err := e.ResetRequests(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    steps,
	})
	if e == nil {
		return
	}
	reqs, err := e.Requests(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if mutating := acctest.MutatingRequests(reqs); len(mutating) != 0 {
		t.Fatalf("invalid configurations made %d mutating calls: %+v", len(mutating), mutating)
	}
}
