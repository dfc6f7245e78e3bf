package awsops

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// ErrorCode returns the AWS error code of err, or "" when err is not an AWS API error.
func ErrorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// hasCode reports whether err is an AWS API error with one of the given codes.
func hasCode(err error, codes ...string) bool {
	code := ErrorCode(err)
	for _, c := range codes {
		if code == c {
			return true
		}
	}
	return false
}

// ComponentError says which component of a stack an AWS call failed for, keeping the AWS error
// (and its code) reachable through errors.As.
type ComponentError struct {
	Component string // "security group", "replication group", ...
	Action    string // "create", "modify", ...
	Name      string
	Err       error
}

func (e *ComponentError) Error() string {
	code := ErrorCode(e.Err)
	if code != "" {
		return fmt.Sprintf("%s %s %q: %s: %v", e.Action, e.Component, e.Name, code, e.Err)
	}
	return fmt.Sprintf("%s %s %q: %v", e.Action, e.Component, e.Name, e.Err)
}

func (e *ComponentError) Unwrap() error { return e.Err }

func wrap(component, action, name string, err error) error {
	if err == nil {
		return nil
	}
	return &ComponentError{Component: component, Action: action, Name: name, Err: err}
}

// asType is errors.As with a typed target, for the SDK's modeled fault types.
func asType[T error](err error, target *T) bool {
	return err != nil && errors.As(err, target)
}

var errNotFound = errors.New("not found")

// adoptOwn is how a create converges after an interrupted apply: when the cache already
// exists, it is taken over if its owner tag names this stack and refused otherwise.
func adoptOwn(ctx context.Context, component, name, stackName string, createErr error, observe func() (arn string, tags map[string]string, found bool, err error)) (string, error) {
	var arn string
	var tags map[string]string
	// AWS just said it exists; a describe right after may still miss it (eventual consistency).
	err := retryWhileNotVisible(ctx, component+" "+name+" to become visible", func(err error) bool { return errors.Is(err, errNotFound) }, func(context.Context) error {
		var found bool
		var err error
		if arn, tags, found, err = observe(); err == nil && !found {
			return errNotFound
		}
		return err
	})
	if err == nil && tags[OwnerTagKey] == stackName {
		tflog.Info(ctx, "adopting "+component+" left by an earlier apply", map[string]any{"name": name})
		return arn, nil
	}
	return "", wrap(component, "create", name, fmt.Errorf("%w; it does not belong to stack %q: import it or choose another name", createErr, stackName))
}
