package stack_test

import "errors"

func errorsAs[T error](err error, target *T) bool { return err != nil && errors.As(err, target) }
