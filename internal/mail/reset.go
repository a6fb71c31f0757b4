package mail

import "github.com/accountnet/accountnet"

// PasswordReset is the data of a password reset mail.
type PasswordReset struct {
	AppTitle string
	Username string
	Link     string // reset_url (or login_url) with the token
	Expires  string // absolute UTC time at which the link stops working
}

// resetMessages are the mails of the password reset flow.
var resetMessages = map[accountnet.MailKind]message{
	accountnet.MailPasswordReset: newMessage("Reset your {{.AppTitle}} password",
		`Hello,

Someone asked to reset the password of the {{.AppTitle}} user {{.Username}}.

Choose a new password with this link (it works once, until {{.Expires}}):
{{.Link}}

If you did not ask for this, ignore this email; your password stays as it is.
`,
		`{{template "open"}}<p>Hello,</p>
<p>Someone asked to reset the password of the {{.AppTitle}} user <strong>{{.Username}}</strong>.</p>
<p><a href="{{.Link}}">Choose a new password</a> (the link works once, until {{.Expires}}).</p>
<p>If you did not ask for this, ignore this email; your password stays as it is.</p>
{{template "close"}}`),
}
