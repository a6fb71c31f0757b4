// Package mail renders accountnet's messages and delivers the queued ones
// through a Transport.
package mail

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	netmail "net/mail"
	"strings"
	texttemplate "text/template"

	"github.com/accountnet/accountnet"
)

// Invitation is the data of an invitation mail.
type Invitation struct {
	AppTitle    string
	ParentTitle string // the inviting account
	InviterName string
	DomainTitle string
	FeeProposed string // "" when no fee is proposed
	Link        string
	Expires     string // absolute UTC time, equal to the invitation's expires
}

// LoginInstructions is the data of the mail sent after an activation.
type LoginInstructions struct {
	AppTitle     string
	AccountTitle string // the new child account
	ParentTitle  string
	Username     string
	LoginURL     string
	PasswordLink string // "" when the user already has a password
	LinkExpires  string
}

type message struct {
	subject *texttemplate.Template
	text    *texttemplate.Template
	html    *htmltemplate.Template
}

func newMessage(subject, text, html string) message {
	return message{
		subject: texttemplate.Must(texttemplate.New("subject").Parse(subject)),
		text:    texttemplate.Must(texttemplate.New("text").Parse(text)),
		html:    htmltemplate.Must(htmltemplate.New("html").Parse(htmlLayout + html)),
	}
}

// The HTML part is deliberately plain: every value a user typed goes
// through html/template, which escapes it for its context.
const htmlLayout = `{{define "open"}}<!DOCTYPE html><html><body style="font-family:sans-serif;line-height:1.5">{{end}}` +
	`{{define "close"}}</body></html>{{end}}`

// messages maps each kind to its templates. Each group of kinds lives in
// its own variable and file, merged here.
var messages = mergeMessages(coreMessages, outcomeMessages, resetMessages, feeMessages)

func mergeMessages(groups ...map[accountnet.MailKind]message) map[accountnet.MailKind]message {
	all := map[accountnet.MailKind]message{}
	for _, g := range groups {
		for kind, m := range g {
			all[kind] = m
		}
	}
	return all
}

// coreMessages are the mails of the invitation flow itself.
var coreMessages = map[accountnet.MailKind]message{
	accountnet.MailInvitation: newMessage("{{.ParentTitle}} invites you to {{.AppTitle}}",
		`Hello,

{{.InviterName}} of {{.ParentTitle}} invites you to join {{.AppTitle}} as a {{.DomainTitle}} account.
{{- if .FeeProposed}}
{{.ParentTitle}} proposes a fee of {{.FeeProposed}}% of your revenue; it applies only after you accept it.
{{- end}}

Open this link to set up your account:
{{.Link}}

The link works until {{.Expires}}. If you did not expect this invitation, ignore this email.
`,
		`{{template "open"}}<p>Hello,</p>
<p>{{.InviterName}} of <strong>{{.ParentTitle}}</strong> invites you to join {{.AppTitle}} as a {{.DomainTitle}} account.</p>
{{- if .FeeProposed}}
<p>{{.ParentTitle}} proposes a fee of {{.FeeProposed}}% of your revenue; it applies only after you accept it.</p>
{{- end}}
<p><a href="{{.Link}}">Set up your account</a></p>
<p>The link works until {{.Expires}}. If you did not expect this invitation, ignore this email.</p>
{{template "close"}}`),

	accountnet.MailLoginInstructions: newMessage("Your {{.AppTitle}} account {{.AccountTitle}} is ready",
		`Hello,

The account {{.AccountTitle}} now exists in {{.AppTitle}}, linked to {{.ParentTitle}}.

Your username: {{.Username}}
{{- if .PasswordLink}}

Set your password with this link (it works until {{.LinkExpires}}):
{{.PasswordLink}}
{{- end}}

Log in at: {{.LoginURL}}
`,
		`{{template "open"}}<p>Hello,</p>
<p>The account <strong>{{.AccountTitle}}</strong> now exists in {{.AppTitle}}, linked to {{.ParentTitle}}.</p>
<p>Your username: <strong>{{.Username}}</strong></p>
{{- if .PasswordLink}}
<p><a href="{{.PasswordLink}}">Set your password</a> (the link works until {{.LinkExpires}}).</p>
{{- end}}
<p><a href="{{.LoginURL}}">Log in</a></p>
{{template "close"}}`),
}

// Render returns the subject, plain-text body and HTML body of a message
// of kind for data. The subject has CR and LF removed, so a typed name
// cannot add a header.
func Render(kind accountnet.MailKind, data any) (subject, text, html string, err error) {
	m, ok := messages[kind]
	if !ok {
		return "", "", "", fmt.Errorf("mail: no template for kind %q", kind)
	}

	var s, t, h bytes.Buffer
	if err := m.subject.Execute(&s, data); err != nil {
		return "", "", "", err
	}
	if err := m.text.Execute(&t, data); err != nil {
		return "", "", "", err
	}
	if err := m.html.Execute(&h, data); err != nil {
		return "", "", "", err
	}
	return strings.TrimSpace(accountnet.StripLineBreaks(s.String())), t.String(), h.String(), nil
}

// parseAddress splits "Name <address>" or a bare address into name and
// address.
func parseAddress(s string) ([2]string, error) {
	a, err := netmail.ParseAddress(strings.TrimSpace(s))
	if err != nil {
		return [2]string{}, err
	}
	return [2]string{a.Name, a.Address}, nil
}
