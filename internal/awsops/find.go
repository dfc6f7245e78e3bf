package awsops

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// The shapes every component's AWS calls share, written once in the manner of hashicorp/aws's
// finders, status functions and waiters (internal/service/elasticache/find.go, status.go,
// wait.go): a finder describes one resource; a status function reads its status through the
// finder; a waiter polls the status; a deleter retries the delete while AWS says the resource
// is busy or still in use. Each component file binds them to its own SDK calls and faults.

// isA reports whether err is (or wraps) AWS's modeled fault F, e.g.
// isA[*ectypes.CacheClusterNotFoundFault].
func isA[F error](err error) bool {
	var f F
	return asType(err, &f)
}

// firstListed reads a describe call's answer the way every finder does: AWS's NotFound answer
// (notFound) and an empty list both mean "not found", any other error is wrapped as
// component's describe, and otherwise the first item listed is found. items is read only
// after a success.
func firstListed[T any](component, id string, err error, notFound func(error) bool, items func() []T) (T, bool, error) {
	var zero T
	switch {
	case notFound(err):
		return zero, false, nil
	case err != nil:
		return zero, false, wrap(component, "describe", id, err)
	}
	if list := items(); len(list) > 0 {
		return list[0], true, nil
	}
	return zero, false, nil
}

// statusFunc reads a resource's status; found is false when AWS does not know it.
type statusFunc func(ctx context.Context) (status string, found bool, err error)

// waitStatus polls status until it reports target, up to the context's deadline (the
// resource's timeout). A resource not found is waited for while EventualConsistency lasts
// (just created, AWS may not show it to describe calls yet) and an error after; the status
// create-failed ends the wait with an error.
func waitStatus(ctx context.Context, component, id, target string, status statusFunc) error {
	start := time.Now()
	return pollUntil(ctx, component+" "+id+" to become "+target, func(ctx context.Context) (bool, string, error) {
		s, found, err := status(ctx)
		switch {
		case err != nil:
			return false, "", err
		case !found && time.Since(start) < EventualConsistency:
			return false, "not yet visible", nil
		case !found:
			return false, "", wrap(component, "wait for", id, fmt.Errorf("it disappeared while waiting for it to become %s", target))
		case s == StatusCreateFailed:
			return false, s, wrap(component, "create", id, fmt.Errorf("AWS reports status %s", s))
		}
		return s == target, s, nil
	})
}

// waitGone polls status until AWS no longer knows the resource.
func waitGone(ctx context.Context, component, id string, status statusFunc) error {
	return pollUntil(ctx, component+" "+id+" to be deleted", func(ctx context.Context) (bool, string, error) {
		s, found, err := status(ctx)
		return err == nil && !found, s, err
	})
}

// deleteRetrying calls del until AWS accepts it or answers that the resource is already gone,
// retrying while busy recognises AWS's answer that the resource is still in use (a cache still
// holds the group) or in a state that takes no deletion yet.
func deleteRetrying(ctx context.Context, component, id string, del func(context.Context) error, gone, busy func(error) bool) error {
	return pollUntil(ctx, component+" "+id+" to accept deletion", func(ctx context.Context) (bool, string, error) {
		err := del(ctx)
		switch {
		case err == nil, gone(err):
			return true, StatusDeleting, nil
		case busy(err):
			return false, "busy: " + ErrorCode(err), nil
		}
		return false, "", wrap(component, "delete", id, err)
	})
}

// modifyAndWait sends one change (retried while AWS reports the resource busy) and waits until
// the resource has applied it. change names it in progress logs ("changes", "resharding").
func modifyAndWait(ctx context.Context, component, action, id, change string, modify func(context.Context) error, wait func(context.Context, string) error) error {
	if err := retryWhileBusy(ctx, component+" "+id+" to accept "+change, modify); err != nil {
		return wrap(component, action, id, err)
	}
	return wait(ctx, id)
}

// step is one AWS call of a sync, made only when it has something to do.
type step struct {
	needed bool
	action string // what the call does, for its error: "tag", "revoke ingress of"
	call   func(context.Context) error
}

// runSteps makes the needed calls in order and stops at the first failure.
func runSteps(ctx context.Context, component, id string, steps []step) error {
	for _, s := range steps {
		if !s.needed {
			continue
		}
		if err := s.call(ctx); err != nil {
			return wrap(component, s.action, id, err)
		}
	}
	return nil
}

// nonEmpty is an optional string field of a request: nil (left out) when s is empty.
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// readTags reads the tags of a resource described moments ago; an ARN AWS did not report
// (an emulator that leaves it out) has none to read.
func (c *Clients) readTags(ctx context.Context, component, id, arn string) (map[string]string, error) {
	if arn == "" {
		return nil, nil
	}
	tags, err := c.ListTags(ctx, arn)
	return tags, wrap(component, "read tags of", id, err)
}

// statusBy makes the status function of one resource from its finder.
func statusBy[T any](find func(context.Context, string) (T, bool, error), id string, status func(T) *string) statusFunc {
	return func(ctx context.Context) (string, bool, error) {
		item, found, err := find(ctx, id)
		return aws.ToString(status(item)), found, err
	}
}

// call adapts an SDK operation to the func(ctx) error the helpers above retry.
func call[In, Out, Opt any](op func(context.Context, *In, ...Opt) (*Out, error), in *In) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := op(ctx, in)
		return err
	}
}
