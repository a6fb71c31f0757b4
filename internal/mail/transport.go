package mail

import (
	"context"
	"log/slog"

	"github.com/accountnet/accountnet"
)

// Transport delivers one message. An error that wraps ErrPermanent means
// that retrying cannot help (the recipient was rejected); any other error
// is retried.
type Transport interface {
	Send(ctx context.Context, m *accountnet.Mail) error
}

// Capture is the default transport: it delivers nothing, because the
// message already sits in the mail table where the admin API and the
// dashboard show it. It logs each arrival with ids and subject only, never
// the body, which holds tokens.
type Capture struct {
	Log *slog.Logger
}

func (c Capture) Send(ctx context.Context, m *accountnet.Mail) error {
	c.Log.InfoContext(ctx, "mail captured", "mail_id", m.ID, "app_id", m.AppID, "kind", m.Kind, "to", m.To)
	return nil
}
