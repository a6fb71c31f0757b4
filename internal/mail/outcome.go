package mail

import "github.com/accountnet/accountnet"

// InvitationOutcome is the data of the mail sent to the inviting user when
// the invitee accepts or declines an invitation.
type InvitationOutcome struct {
	AppTitle    string
	InviterName string
	ParentTitle string // the inviting account
	Email       string // the invited address
	DomainTitle string
	ChildTitle  string // the account the invitation created; "" when declined
	LoginURL    string
}

// outcomeMessages are the mails to the inviting user when an invitation is
// accepted or declined.
var outcomeMessages = map[accountnet.MailKind]message{
	accountnet.MailInvitationAccepted: newMessage("{{.ChildTitle}} accepted your invitation to {{.AppTitle}}",
		`Hello {{.InviterName}},

{{.Email}} accepted the invitation from {{.ParentTitle}}. The new {{.DomainTitle}} account {{.ChildTitle}} is now part of your network.
{{- if .LoginURL}}

Log in to see it: {{.LoginURL}}
{{- end}}
`,
		`{{template "open"}}<p>Hello {{.InviterName}},</p>
<p>{{.Email}} accepted the invitation from {{.ParentTitle}}. The new {{.DomainTitle}} account <strong>{{.ChildTitle}}</strong> is now part of your network.</p>
{{- if .LoginURL}}
<p><a href="{{.LoginURL}}">Log in to see it</a></p>
{{- end}}
{{template "close"}}`),

	accountnet.MailInvitationDeclined: newMessage("{{.Email}} declined your invitation to {{.AppTitle}}",
		`Hello {{.InviterName}},

{{.Email}} declined the invitation from {{.ParentTitle}} to join as a {{.DomainTitle}} account. The link in that invitation no longer works.

To invite this address again, log in and create a new invitation.
{{- if .LoginURL}} Log in at: {{.LoginURL}}{{end}}
`,
		`{{template "open"}}<p>Hello {{.InviterName}},</p>
<p>{{.Email}} declined the invitation from {{.ParentTitle}} to join as a {{.DomainTitle}} account. The link in that invitation no longer works.</p>
<p>To invite this address again, log in and create a new invitation.
{{- if .LoginURL}} <a href="{{.LoginURL}}">Log in</a>{{end}}</p>
{{template "close"}}`),
}
