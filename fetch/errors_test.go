package fetch_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/fakeintercom"
)

func errorsAs[T any](err error, target *T) bool { return errors.As(err, target) }

func TestBadToken(t *testing.T) {
	api, base, _ := serve(t, generated(10, "en"), fakeintercom.Options{})
	c, err := fetch.New(fetch.Config{BaseURL: base, Token: "wrong"})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Sync(context.Background(), nil, fetch.SyncOptions{})
	if !fetch.IsUnauthorized(err) || !strings.Contains(err.Error(), "unauthorized") {
		t.Fatalf("Sync with a bad token: %v", err)
	}
	if api.Calls() > 4 {
		t.Errorf("a refused token was retried: %d calls", api.Calls())
	}
}

func TestUnreachableHost(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, _ := fetch.New(fetch.Config{BaseURL: "http://" + addr, Token: token, MaxAttempts: 2, RetryBase: 1})
	_, _, err = c.Sync(context.Background(), nil, fetch.SyncOptions{})
	if err == nil || !strings.Contains(err.Error(), "cannot connect to "+addr) {
		t.Fatalf("Sync against a closed port: %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []fetch.Config{
		{Token: "x", Region: "mars"},
		{Token: "x", Version: "1.4"},
		{Token: "x", BaseURL: "ftp://example.com"},
		{},
	} {
		_, err := fetch.New(cfg)
		var ue *fetch.UsageError
		if !errors.As(err, &ue) {
			t.Errorf("New(%+v) = %v, want a UsageError", cfg, err)
		}
	}
}
