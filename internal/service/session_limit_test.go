package service_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/service"
	"github.com/accountnet/accountnet/internal/testdb"
)

func TestNewSessionLimitPerAddress(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		svc := &service.Service{DB: testdb.Open(t, url), Clock: accountnet.SystemClock{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			AuthLimits: service.AuthLimits{SessionLimitPerAddress: service.Limit{Max: 2, Window: time.Hour}}}
		title := "Limits"
		created, err := svc.CreateApp(ctx, service.AppInput{Title: &title})
		if err != nil {
			t.Fatal(err)
		}

		caller := &service.Caller{App: created.App, ClientAddr: "203.0.113.7"}
		for i := range 2 {
			if _, err := svc.NewSession(ctx, caller); err != nil {
				t.Fatalf("session %d: %v", i+1, err)
			}
		}
		_, err = svc.NewSession(ctx, caller)
		if accountnet.ErrorReason(err) != "rate_limited" {
			t.Fatalf("third session from one address: %v, want rate_limited", err)
		}
		if _, err := svc.NewSession(ctx, &service.Caller{App: created.App, ClientAddr: "203.0.113.8"}); err != nil {
			t.Errorf("another address was limited too: %v", err)
		}
	})
}
