// Package smtptest runs a real SMTP server on a loopback port for tests,
// built with go-smtp. It records every message it accepts and can be set up
// to fail attempts, reject recipients, require authentication or offer
// STARTTLS with a self-signed certificate.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/mail"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one accepted message.
type Message struct {
	From string
	To   []string
	Data []byte
}

// Header parses the message and returns its header.
func (m Message) Header() mail.Header {
	parsed, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return mail.Header{}
	}
	return parsed.Header
}

// Options shape the server's behaviour.
type Options struct {
	TLS       bool            // offer STARTTLS with a self-signed certificate
	Username  string          // when set, require AUTH PLAIN with Password
	Password  string          // password for Username
	FailFirst int             // reply 451 to the first N DATA commands
	Reject    map[string]bool // recipients rejected with 550
	Delay     time.Duration   // wait before accepting each message
}

// Server is a running SMTP server.
type Server struct {
	Addr    string         // host:port
	RootCAs *x509.CertPool // trusts the server's certificate when TLS is on

	opts     Options
	srv      *smtp.Server
	listener net.Listener

	mu       sync.Mutex
	messages []Message
	failed   int
	arrived  chan struct{}
}

// Start runs a server on 127.0.0.1 with a free port until the test ends.
func Start(tb testing.TB, opts Options) *Server {
	tb.Helper()
	s := &Server{opts: opts, arrived: make(chan struct{}, 100000)}
	if err := s.listen("127.0.0.1:0"); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Restart listens again on the same address after Close, so that a test
// can take the server down and bring it back up.
func (s *Server) Restart(tb testing.TB) {
	tb.Helper()
	if err := s.listen(s.Addr); err != nil {
		tb.Fatal(err)
	}
}

func (s *Server) listen(addr string) error {
	srv := smtp.NewServer(&backend{s: s})
	srv.Domain = "smtptest.localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.AllowInsecureAuth = !s.opts.TLS
	srv.ErrorLog = log.New(io.Discard, "", 0) // clients that hang up are expected in tests
	if s.opts.TLS {
		config, pool, err := selfSigned()
		if err != nil {
			return err
		}
		srv.TLSConfig, s.RootCAs = config, pool
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.srv, s.listener, s.Addr = srv, ln, ln.Addr().String()
	go srv.Serve(ln)
	return nil
}

// Close stops the server and closes open connections.
func (s *Server) Close() {
	if s.srv != nil {
		// Close the listener too: Serve may not have taken it over yet.
		s.listener.Close()
		s.srv.Close()
	}
}

// Messages returns a copy of the accepted messages.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Wait blocks until n messages in all have arrived or timeout passes, and
// reports whether they did.
func (s *Server) Wait(n int, timeout time.Duration) bool {
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		got := len(s.messages)
		s.mu.Unlock()
		if got >= n {
			return true
		}
		select {
		case <-s.arrived:
		case <-deadline:
			return false
		}
	}
}

type backend struct{ s *Server }

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s}, nil
}

type session struct {
	s      *Server
	authed bool
	from   string
	to     []string
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.s.opts.Username || password != ss.s.opts.Password {
			return errors.New("invalid credentials")
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, opts *smtp.MailOptions) error {
	if ss.s.opts.Username != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, opts *smtp.RcptOptions) error {
	if ss.s.opts.Reject[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if ss.s.opts.Delay > 0 {
		time.Sleep(ss.s.opts.Delay)
	}

	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.failed < ss.s.opts.FailFirst {
		ss.s.failed++
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	ss.s.messages = append(ss.s.messages, Message{From: ss.from, To: ss.to, Data: data})
	select {
	case ss.s.arrived <- struct{}{}:
	default:
	}
	return nil
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned() (*tls.Config, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool, nil
}
