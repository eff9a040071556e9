// Package retry runs an operation again while it fails with an error
// worth retrying, with exponential backoff and jitter, for the clients of
// remote stores and APIs that must ride out a brief outage.
package retry

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// Do runs op up to attempts times while it fails with an error retryable
// accepts (every error if retryable is nil), waiting between tries from
// base, doubled for each next try, with full jitter. It stops waiting
// when ctx ends, and returns op's last error.
func Do(ctx context.Context, attempts int, base time.Duration, retryable func(error) bool, op func(context.Context) error) error {
	var err error
	for n := range max(attempts, 1) {
		if n > 0 {
			if err := Sleep(ctx, Backoff(base, n)); err != nil {
				return errors.Join(err, ctx.Err())
			}
		}
		err = op(ctx)
		if err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			return errors.Join(err, ctx.Err())
		}
		if err == nil || ctx.Err() != nil || errors.Is(err, context.Canceled) || retryable != nil && !retryable(err) {
			return err
		}
	}
	return err
}

// Backoff is the wait before retry number n (from 1): between half and
// all of base × 2^(n-1), capped at base × 256.
func Backoff(base time.Duration, n int) time.Duration {
	d := base << min(max(n-1, 0), 8)
	return d/2 + rand.N(d/2+1)
}

// Sleep waits for d, or until ctx ends.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
