package mail_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/accountnet/accountnet"
	mailer "github.com/accountnet/accountnet/internal/mail"
	"github.com/accountnet/accountnet/internal/smtptest"
	"github.com/accountnet/accountnet/internal/testdb"
)

// BenchmarkSMTPDelivery compares the queue (claim, send, record, with 4
// concurrent sends) against a bare loop that sends the same messages with
// go-mail over one connection, both to the same loopback server. The
// ratio of the two ns/op figures is the cost of durability.
func BenchmarkSMTPDelivery(b *testing.B) {
	b.Run("queue", func(b *testing.B) {
		db := testdb.Open(b, testdb.SQLiteURL(b))
		server := smtptest.Start(b, smtptest.Options{})
		queueMails(b, db, b.N, time.Now().Unix())
		w := mailer.NewWorker(db, newSMTP(b, "smtp://"+server.Addr+"?tls=none", nil), accountnet.SystemClock{}, quiet)
		w.Poll = time.Millisecond

		b.ResetTimer()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			w.Run(ctx)
			close(done)
		}()
		if !server.Wait(b.N, 5*time.Minute) {
			b.Fatalf("only %d of %d delivered", len(server.Messages()), b.N)
		}
		b.StopTimer()
		cancel()
		<-done
	})

	b.Run("bare", func(b *testing.B) {
		server := smtptest.Start(b, smtptest.Options{})
		host, portText, _ := strings.Cut(server.Addr, ":")
		port, _ := strconv.Atoi(portText)
		client, err := gomail.NewClient(host, gomail.WithPort(port), gomail.WithTLSPolicy(gomail.NoTLS))
		if err != nil {
			b.Fatal(err)
		}
		if err := client.DialWithContext(context.Background()); err != nil {
			b.Fatal(err)
		}
		defer client.Close()

		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			msg := gomail.NewMsg()
			msg.FromFormat("Shop", "noreply@shop.example")
			msg.To(fmt.Sprintf("user%d@example.com", i))
			msg.Subject("Join <Shop>")
			msg.SetBodyString(gomail.TypeTextPlain, "Open https://shop.example/activate?token=abc\n")
			msg.AddAlternativeString(gomail.TypeTextHTML, "<p><a href=\"https://shop.example/activate?token=abc\">Join</a></p>")
			if err := client.Send(msg); err != nil {
				b.Fatal(err)
			}
		}
	})
}
