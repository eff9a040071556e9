package retry

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestDo(t *testing.T) {
	ctx := context.Background()
	transient, fatal := errors.New("transient"), errors.New("fatal")
	n := 0
	err := Do(ctx, 5, time.Millisecond, nil, func(context.Context) error {
		if n++; n < 3 {
			return transient
		}
		return nil
	})
	if err != nil || n != 3 {
		t.Errorf("succeeded on try 3: %v after %d tries", err, n)
	}
	n = 0
	err = Do(ctx, 5, time.Millisecond, func(err error) bool { return err != fatal }, func(context.Context) error { n++; return fatal })
	if err != fatal || n != 1 {
		t.Errorf("a fatal error was tried %d times (%v)", n, err)
	}
	n = 0
	err = Do(ctx, 3, time.Millisecond, nil, func(context.Context) error { n++; return transient })
	if err != transient || n != 3 {
		t.Errorf("gave up after %d tries with %v", n, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	n = 0
	err = Do(cctx, 5, time.Hour, nil, func(context.Context) error { n++; cancel(); return transient })
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Errorf("a canceled wait: %v after %d tries", err, n)
	}
}
