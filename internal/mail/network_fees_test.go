package mail

import (
	"strings"
	"testing"

	"github.com/accountnet/accountnet"
)

func TestRenderFeeProposedEscapes(t *testing.T) {
	subject, text, html, err := Render(accountnet.MailFeeProposed, FeeProposed{
		AppTitle: "Shop", ParentTitle: "Evil\r\nBcc: victim@example.com", ProposerName: "<script>Eve</script>",
		ChildTitle: "Kid & Co", FeeProposed: "2.255", FeeInForce: "1.5", LoginURL: "https://a.example/login?x=1&y=2",
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(subject, "\r\n") || !strings.Contains(subject, "2.255%") {
		t.Errorf("subject = %q", subject)
	}
	if strings.Contains(html, "<script>") || !strings.Contains(html, "&lt;script&gt;") || !strings.Contains(html, "Kid &amp; Co") {
		t.Errorf("HTML part does not escape typed names:\n%s", html)
	}
	if !strings.Contains(html, `href="https://a.example/login?x=1&amp;y=2"`) {
		t.Errorf("HTML link is not the escaped log-in URL:\n%s", html)
	}
	if !strings.Contains(text, "2.255%") || !strings.Contains(text, "The fee in force, 1.5%, stays") {
		t.Errorf("text part lacks the proposed or current fee:\n%s", text)
	}
}

func TestRenderFeeProposedWithoutFeeInForce(t *testing.T) {
	_, text, _, err := Render(accountnet.MailFeeProposed, FeeProposed{AppTitle: "Shop", ParentTitle: "P", ChildTitle: "C", FeeProposed: "3"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "fee in force") || !strings.Contains(text, "No fee applies until you accept it.") {
		t.Errorf("text for a first proposal:\n%s", text)
	}
}

func TestRenderFeeDeclined(t *testing.T) {
	subject, text, html, err := Render(accountnet.MailFeeDeclined, FeeDeclined{
		AppTitle: "Shop", ParentTitle: "Parent", ChildTitle: "<b>Kid</b>", FeeProposed: "15", LoginURL: "https://a.example/login",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(subject, "15%") || !strings.Contains(text, "No fee applies to <b>Kid</b>.") {
		t.Errorf("subject %q, text:\n%s", subject, text)
	}
	if strings.Contains(html, "<b>Kid</b>") {
		t.Errorf("HTML part does not escape the child title:\n%s", html)
	}
}
