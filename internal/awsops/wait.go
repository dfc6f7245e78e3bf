package awsops

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Polling intervals: the first check comes soon so a fast endpoint (the emulator) is seen
// within moments, and the interval grows with the time already waited (a tenth of it) up to a
// cap, so a slow one (AWS, minutes) is not hammered and completion is noticed within 10 % of the
// wait and never more than PollMaxInterval late.
//
// The SDK's waiters are not used for this: after a few attempts they pick each delay at random
// between their minimum and maximum, so completion can go unseen for a whole maximum delay.
var (
	PollInitialInterval = 250 * time.Millisecond
	PollMaxInterval     = 10 * time.Second
)

// nextPollInterval is the wait before the next check after waiting for elapsed.
func nextPollInterval(elapsed time.Duration) time.Duration {
	return min(max(elapsed/10, PollInitialInterval), PollMaxInterval)
}

// ErrStillPending is returned by pollUntil when the context's deadline passes first.
type ErrStillPending struct {
	What   string
	Status string
	Waited time.Duration
}

func (e *ErrStillPending) Error() string {
	return fmt.Sprintf("timed out after %s waiting for %s (last status %q); raise the matching timeouts value and apply again",
		e.Waited.Round(time.Second), e.What, e.Status)
}

// pollUntil calls check until it reports done, an error, or ctx ends. check returns the
// current status for progress logs.
func pollUntil(ctx context.Context, what string, check func(context.Context) (done bool, status string, err error)) error {
	start := time.Now()
	lastStatus := ""
	for attempt := 1; ; attempt++ {
		done, status, err := check(ctx)
		if err != nil && ctx.Err() != nil {
			// The deadline passed during the check itself: that is still a timeout, not a
			// failure of the call.
			return &ErrStillPending{What: what, Status: lastStatus, Waited: time.Since(start)}
		}
		if err != nil {
			return err
		}
		if done {
			tflog.Debug(ctx, "wait finished", map[string]any{"what": what, "status": status, "attempts": attempt, "elapsed": time.Since(start).String()})
			return nil
		}
		if status != lastStatus {
			tflog.Info(ctx, "waiting", map[string]any{"what": what, "status": status, "elapsed": time.Since(start).String()})
			lastStatus = status
		}
		timer := time.NewTimer(nextPollInterval(time.Since(start)))
		select {
		case <-ctx.Done():
			timer.Stop()
			return &ErrStillPending{What: what, Status: lastStatus, Waited: time.Since(start)}
		case <-timer.C:
		}
	}
}

// Statuses ElastiCache reports for replication groups, cache clusters and serverless caches.
const (
	StatusAvailable    = "available"
	StatusCreating     = "creating"
	StatusModifying    = "modifying"
	StatusDeleting     = "deleting"
	StatusCreateFailed = "create-failed"
)

// EventualConsistency bounds how long a resource just created may still be unknown to AWS's
// other calls: EC2 and ElastiCache are eventually consistent, and a describe or a follow-up
// call right after a create can answer NotFound (hashicorp/aws retries these the same way,
// e.g. tfresource.RetryWhenNotFound after CreateSecurityGroup).
var EventualConsistency = 2 * time.Minute

// retryWhileNotVisible calls fn until it succeeds, fails with an error notYet does not
// recognise, or EventualConsistency has passed, polling with backoff.
func retryWhileNotVisible(ctx context.Context, what string, notYet func(error) bool, fn func(context.Context) error) error {
	start := time.Now()
	return pollUntil(ctx, what, func(ctx context.Context) (bool, string, error) {
		err := fn(ctx)
		switch {
		case err == nil:
			return true, "done", nil
		case notYet(err) && time.Since(start) < EventualConsistency:
			return false, "not yet visible: " + ErrorCode(err), nil
		}
		return false, "", err
	})
}

// untilVisible calls observe until it finds the resource, for at most EventualConsistency: a
// resource AWS has just created (or just said exists) may still be missing from describe calls.
func untilVisible(ctx context.Context, what string, observe func(context.Context) (found bool, err error)) error {
	return retryWhileNotVisible(ctx, what+" to become visible", func(err error) bool { return errors.Is(err, errNotFound) }, func(ctx context.Context) error {
		found, err := observe(ctx)
		if err == nil && !found {
			return errNotFound
		}
		return err
	})
}

// retryWhileBusy calls fn until AWS stops answering that the resource is busy (it accepts
// changes only while available: InvalidReplicationGroupState / InvalidCacheClusterState /
// InvalidServerlessCacheStateFault), waiting with backoff up to the context's deadline.
func retryWhileBusy(ctx context.Context, what string, fn func(context.Context) error) error {
	return pollUntil(ctx, what, func(ctx context.Context) (bool, string, error) {
		err := fn(ctx)
		switch {
		case err == nil:
			return true, "done", nil
		case hasCode(err, "InvalidReplicationGroupState", "InvalidCacheClusterState", "InvalidServerlessCacheStateFault"):
			return false, "busy: " + ErrorCode(err), nil
		}
		return false, "", err
	})
}
