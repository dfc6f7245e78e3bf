package stack_test

import (
	"errors"
	"fmt"
)

func errorsAs[T error](err error, target *T) bool { return err != nil && errors.As(err, target) }

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
