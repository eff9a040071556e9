package deploy

import (
	"context"
	"time"

	"gocloud.dev/gcerrors"

	"github.com/helpsite/helpsite/internal/retry"
)

// do runs op with retries, but not when the store refused the request as
// such: only an outage or a throttle goes away when tried again.
func do(ctx context.Context, attempts int, base time.Duration, op func(context.Context) error) error {
	return retry.Do(ctx, attempts, base, func(err error) bool {
		switch gcerrors.Code(err) {
		case gcerrors.PermissionDenied, gcerrors.InvalidArgument, gcerrors.Unimplemented, gcerrors.FailedPrecondition:
			return false
		}
		return true
	}, op)
}
