package stack_test

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

func errorsAs[T error](err error, target *T) bool { return err != nil && errors.As(err, target) }

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// flexible compiles an expected error text so that any run of spaces also matches the line
// breaks Terraform inserts when it wraps diagnostics.
func flexible(pattern string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(pattern, " ", `\s+`))
}
