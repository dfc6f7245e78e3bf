package awsops

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
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

// CacheBasics is what every kind of observed cache carries.
type CacheBasics struct {
	ARN, Status      string
	Tags             map[string]string // the owner tag says which stack the cache belongs to
	SecurityGroupIDs []string
}

// ObservedCache is an observed cache of any kind.
type ObservedCache interface {
	Basics() CacheBasics
}

func (o ObservedCacheCluster) Basics() CacheBasics {
	return CacheBasics{o.ARN, o.Status, o.Tags, o.SecurityGroupIDs}
}

func (o ObservedReplicationGroup) Basics() CacheBasics {
	return CacheBasics{o.ARN, o.Status, o.Tags, o.SecurityGroupIDs}
}

func (o ObservedServerlessCache) Basics() CacheBasics {
	return CacheBasics{o.ARN, o.Status, o.Tags, o.SecurityGroupIDs}
}

// createOrAdopt finishes a cache's create call (its answer err, and arn read after a success).
// When AWS answers that the cache already exists (already), the create converges after an
// interrupted apply: the cache is taken over if its owner tag names this stack, refused
// otherwise.
func createOrAdopt[T ObservedCache](ctx context.Context, component, name, stackName string, err error, already func(error) bool,
	observe func(context.Context, string) (T, bool, error), arn func() *string,
) (string, error) {
	switch {
	case already(err):
	case err != nil:
		return "", wrap(component, "create", name, err)
	default:
		return aws.ToString(arn()), nil
	}
	var o T
	// AWS just said it exists; a describe right after may still miss it (eventual consistency).
	obsErr := untilVisible(ctx, component+" "+name, func(ctx context.Context) (found bool, err error) {
		o, found, err = observe(ctx, name)
		return found, err
	})
	if existing := o.Basics(); obsErr == nil && existing.Tags[OwnerTagKey] == stackName {
		tflog.Info(ctx, "adopting "+component+" left by an earlier apply", map[string]any{"name": name})
		return existing.ARN, nil
	}
	return "", wrap(component, "create", name, fmt.Errorf("%w; it does not belong to stack %q: import it or choose another name", err, stackName))
}
