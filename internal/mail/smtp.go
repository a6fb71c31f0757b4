package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/accountnet/accountnet"
)

// SMTPConfig configures the SMTP transport.
type SMTPConfig struct {
	// URL selects the server and its security: smtp://user:password@host:port
	// requires STARTTLS (port 587 when omitted), smtps://… uses implicit TLS
	// (port 465), and ?tls=none on an smtp:// URL sends in plain text,
	// meant for a relay on loopback (port 25), with AUTH PLAIN in plain
	// text when the URL has a user.
	URL string

	// Password replaces the password of URL when not empty, so that it can
	// come from a file instead of the command line.
	Password string

	// From is the sender, "Name <address>" or an address, used for apps
	// that set no mail_from of their own.
	From string

	TLSConfig *tls.Config   // nil: the system roots and the URL's host name
	Timeout   time.Duration // per connection and command; default 30s
	MaxIdle   int           // idle connections kept for reuse; default 4
}

// SMTP delivers mail to an SMTP server with go-mail, reusing connections.
// It is safe for concurrent use.
type SMTP struct {
	host     string
	options  []gomail.Option
	fromName string
	fromAddr string
	idle     chan *gomail.Client
}

// NewSMTP checks the configuration and returns a transport. It does not
// connect; the first Send does.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || u.Hostname() == "" || (u.Path != "" && u.Path != "/") || u.Fragment != "" || u.Opaque != "" {
		return nil, fmt.Errorf("SMTP URL: want smtp://user:password@host:port or smtps://… with no path")
	}
	if tls := u.Query()["tls"]; len(tls) > 1 || (len(tls) == 1 && tls[0] != "none") {
		return nil, fmt.Errorf("SMTP URL: the only tls value is tls=none (plain text); leave it out to require TLS")
	}
	if cfg.Password != "" && u.User == nil {
		return nil, fmt.Errorf("SMTP URL: a password file needs a user name in the URL, such as smtp://user@host:587")
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	opts := []gomail.Option{gomail.WithTimeout(timeout)}

	plain := u.Query().Get("tls") == "none"
	defaultPort := 587
	switch {
	case u.Scheme == "smtps" && !plain:
		opts = append(opts, gomail.WithSSL())
		defaultPort = 465
	case u.Scheme == "smtp" && plain:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
		defaultPort = 25
	case u.Scheme == "smtp":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		return nil, fmt.Errorf("SMTP URL: scheme must be smtp or smtps, and tls=none only goes with smtp")
	}
	for key := range u.Query() {
		if key != "tls" {
			return nil, fmt.Errorf("SMTP URL: unknown parameter %q", key)
		}
	}

	port := defaultPort
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("SMTP URL: invalid port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))

	tlsConfig := cfg.TLSConfig
	if tlsConfig == nil {
		tlsConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	tlsConfig = tlsConfig.Clone()
	if tlsConfig.ServerName == "" {
		tlsConfig.ServerName = u.Hostname()
	}
	opts = append(opts, gomail.WithTLSConfig(tlsConfig))

	if u.User != nil {
		password, _ := u.User.Password()
		if cfg.Password != "" {
			password = cfg.Password
		}
		// go-mail offers PLAIN only over TLS; with tls=none the operator
		// chose plain text (a relay on loopback), so the password goes
		// in plain text too.
		auth := gomail.SMTPAuthAutoDiscover
		if plain {
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(password))
	}

	from, err := parseSender(cfg.From)
	if err != nil {
		return nil, err
	}
	maxIdle := cfg.MaxIdle
	if maxIdle <= 0 {
		maxIdle = 4
	}
	return &SMTP{host: u.Hostname(), options: opts, fromName: from[0], fromAddr: from[1], idle: make(chan *gomail.Client, maxIdle)}, nil
}

// parseSender splits "Name <address>" or "address" into its parts.
func parseSender(from string) ([2]string, error) {
	if strings.TrimSpace(from) == "" {
		return [2]string{}, errors.New("mail sender: set a default sender address for apps without mail_from")
	}
	addr, err := parseAddress(from)
	if err != nil {
		return [2]string{}, fmt.Errorf("mail sender %q: %w", from, err)
	}
	return addr, nil
}

// Send delivers one message. A 5xx reply that is not temporary (such as
// 550 for an unknown recipient) is returned wrapped in ErrPermanent. Every
// other failure, including refused and timed-out connections, may be
// retried.
func (s *SMTP) Send(ctx context.Context, m *accountnet.Mail) error {
	msg, err := s.message(m)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrPermanent, err)
	}

	client, reused, err := s.connection(ctx)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", s.host, err)
	}
	err = client.Send(msg)

	// The server may have closed a reused connection while it was idle.
	// go-mail's check before sending detects that before anything is sent,
	// so one fresh connection is tried at once.
	var se *gomail.SendError
	if err != nil && reused && errors.As(err, &se) && se.Reason == gomail.ErrConnCheck {
		client.Close()
		if client, err = s.dial(ctx); err != nil {
			return fmt.Errorf("connect to %s: %w", s.host, err)
		}
		err = client.Send(msg)
	}
	if err != nil {
		client.Close()
		return classify(err)
	}
	s.release(client)
	return nil
}

// message builds the MIME message: a text part and an HTML alternative,
// with a Message-ID made from the mail id so that a message sent twice
// after a crash can be recognised as one.
func (s *SMTP) message(m *accountnet.Mail) (*gomail.Msg, error) {
	msg := gomail.NewMsg()

	name, addr := s.fromName, s.fromAddr
	if m.FromAddress != "" {
		name, addr = m.FromName, m.FromAddress
	}
	if err := msg.FromFormat(accountnet.StripLineBreaks(name), addr); err != nil {
		return nil, fmt.Errorf("sender: %w", err)
	}
	if _, _, err := accountnet.NormalizeEmail(m.To); err != nil {
		return nil, fmt.Errorf("recipient %q is not a valid address", m.To)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("recipient: %w", err)
	}

	msg.Subject(accountnet.StripLineBreaks(m.Subject))
	msg.SetMessageIDWithValue(m.ID + "@" + addr[strings.LastIndexByte(addr, '@')+1:])
	msg.SetDateWithValue(time.Unix(m.Created, 0).UTC())
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	return msg, nil
}

// connection returns an idle connection, or dials a new one; reused
// reports which.
func (s *SMTP) connection(ctx context.Context) (client *gomail.Client, reused bool, err error) {
	select {
	case c := <-s.idle:
		return c, true, nil
	default:
	}
	c, err := s.dial(ctx)
	return c, false, err
}

func (s *SMTP) dial(ctx context.Context) (*gomail.Client, error) {
	c, err := gomail.NewClient(s.host, s.options...)
	if err != nil {
		return nil, err
	}
	if err := c.DialWithContext(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// release keeps a connection for the next message (go-mail has already
// reset its session), or closes it when enough are idle.
func (s *SMTP) release(c *gomail.Client) {
	select {
	case s.idle <- c:
	default:
		c.Close()
	}
}

// Close closes the idle connections.
func (s *SMTP) Close() {
	for {
		select {
		case c := <-s.idle:
			c.Close()
		default:
			return
		}
	}
}

// classify marks permanent SMTP failures.
func classify(err error) error {
	var se *gomail.SendError
	if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
		return fmt.Errorf("%w: %v", ErrPermanent, err)
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return fmt.Errorf("network: %w", err)
	}
	return err
}
