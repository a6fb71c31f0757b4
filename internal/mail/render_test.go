package mail

import (
	"strings"
	"testing"

	"github.com/accountnet/accountnet"
)

func TestRenderInvitationEscapes(t *testing.T) {
	data := Invitation{
		AppTitle: "Shop", ParentTitle: "Evil\r\nBcc: victim@example.com <script>", InviterName: "Eve & Co",
		DomainTitle: "Retailer", FeeProposed: "2.5", Link: "https://a.example/activate?token=abc&x=1", Expires: "Monday",
	}
	subject, text, html, err := Render(accountnet.MailInvitation, data)
	if err != nil {
		t.Fatal(err)
	}

	if strings.ContainsAny(subject, "\r\n") {
		t.Errorf("subject contains a line break: %q", subject)
	}
	if strings.Contains(html, "<script>") || !strings.Contains(html, "&lt;script&gt;") {
		t.Errorf("HTML part does not escape the title:\n%s", html)
	}
	if !strings.Contains(html, "Eve &amp; Co") {
		t.Errorf("HTML part does not escape the ampersand:\n%s", html)
	}
	if !strings.Contains(html, `href="https://a.example/activate?token=abc&amp;x=1"`) {
		t.Errorf("HTML link is not the escaped link:\n%s", html)
	}
	if !strings.Contains(text, "https://a.example/activate?token=abc&x=1") || !strings.Contains(text, "2.5%") {
		t.Errorf("text part lacks the link or the fee:\n%s", text)
	}
}

func TestRenderLoginInstructionsWithoutPassword(t *testing.T) {
	_, text, _, err := Render(accountnet.MailLoginInstructions, LoginInstructions{
		AppTitle: "Shop", AccountTitle: "Child", ParentTitle: "Parent", Username: "kim", LoginURL: "https://a.example/login",
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "Set your password") {
		t.Errorf("mail offers a password link without one:\n%s", text)
	}
	if !strings.Contains(text, "Your username: kim") || !strings.Contains(text, "https://a.example/login") {
		t.Errorf("mail lacks the username or the log-in URL:\n%s", text)
	}
}

func TestRenderUnknownKind(t *testing.T) {
	if _, _, _, err := Render("nope", nil); err == nil {
		t.Error("Render accepted an unknown kind")
	}
}

func TestRenderOutcomeEscapes(t *testing.T) {
	data := InvitationOutcome{
		AppTitle: "Shop", InviterName: "Ada", ParentTitle: "Acme", Email: "buyer@example.com",
		DomainTitle: "Retailer", ChildTitle: "Evil\r\nBcc: victim@example.com <b>", LoginURL: "https://a.example/login",
	}
	subject, text, html, err := Render(accountnet.MailInvitationAccepted, data)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(subject, "\r\n") {
		t.Errorf("subject contains a line break: %q", subject)
	}
	if strings.Contains(html, "<b>") || !strings.Contains(html, "&lt;b&gt;") {
		t.Errorf("HTML part does not escape the child title:\n%s", html)
	}
	if !strings.Contains(text, "buyer@example.com accepted") || !strings.Contains(text, "https://a.example/login") {
		t.Errorf("text part lacks the invitee or the log-in URL:\n%s", text)
	}

	_, text, _, err = Render(accountnet.MailInvitationDeclined, data)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "buyer@example.com declined") {
		t.Errorf("declined mail lacks the invitee:\n%s", text)
	}
}

func TestRenderPasswordResetEscapes(t *testing.T) {
	subject, text, html, err := Render(accountnet.MailPasswordReset, PasswordReset{
		AppTitle: "Shop\r\nBcc: x@example.com", Username: "<b>eve</b>", Link: "https://a.example/reset?token=abc&x=1", Expires: "Monday",
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(subject, "\r\n") {
		t.Errorf("subject contains a line break: %q", subject)
	}
	if strings.Contains(html, "<b>eve") || !strings.Contains(html, "&lt;b&gt;eve&lt;/b&gt;") {
		t.Errorf("HTML part does not escape the username:\n%s", html)
	}
	if !strings.Contains(html, `href="https://a.example/reset?token=abc&amp;x=1"`) {
		t.Errorf("HTML link is not the escaped link:\n%s", html)
	}
	if !strings.Contains(text, "https://a.example/reset?token=abc&x=1") || !strings.Contains(text, "until Monday") {
		t.Errorf("text part lacks the link or the expiry:\n%s", text)
	}
}
