package mail

import "github.com/accountnet/accountnet"

// FeeProposed is the data of the mail that informs a child account's users
// of a new fee proposal from the parent.
type FeeProposed struct {
	AppTitle     string
	ParentTitle  string
	ProposerName string
	ChildTitle   string
	FeeProposed  string // percent, such as "2.5"
	FeeInForce   string // "" when no fee is in force
	LoginURL     string
}

// FeeDeclined is the data of the mail that informs the proposing user that
// the child declined the proposal.
type FeeDeclined struct {
	AppTitle    string
	ParentTitle string
	ChildTitle  string
	FeeProposed string
	FeeInForce  string // "" when no fee is in force
	LoginURL    string
}

// feeMessages are the mails of fee proposals.
var feeMessages = map[accountnet.MailKind]message{
	accountnet.MailFeeProposed: newMessage("{{.ParentTitle}} proposes a fee of {{.FeeProposed}}%",
		`Hello,

{{.ProposerName}} of {{.ParentTitle}} proposes a fee of {{.FeeProposed}}% of the revenue of {{.ChildTitle}} in {{.AppTitle}}.
{{- if .FeeInForce}}
The fee in force, {{.FeeInForce}}%, stays until you accept the new one.
{{- else}}
No fee applies until you accept it.
{{- end}}

Log in to accept or decline the proposal: {{.LoginURL}}
`,
		`{{template "open"}}<p>Hello,</p>
<p>{{.ProposerName}} of <strong>{{.ParentTitle}}</strong> proposes a fee of <strong>{{.FeeProposed}}%</strong> of the revenue of {{.ChildTitle}} in {{.AppTitle}}.</p>
{{- if .FeeInForce}}
<p>The fee in force, {{.FeeInForce}}%, stays until you accept the new one.</p>
{{- else}}
<p>No fee applies until you accept it.</p>
{{- end}}
<p><a href="{{.LoginURL}}">Log in</a> to accept or decline the proposal.</p>
{{template "close"}}`),

	accountnet.MailFeeDeclined: newMessage("{{.ChildTitle}} declined your proposed fee of {{.FeeProposed}}%",
		`Hello,

{{.ChildTitle}} declined the fee of {{.FeeProposed}}% that {{.ParentTitle}} proposed in {{.AppTitle}}.
{{- if .FeeInForce}}
The fee in force stays {{.FeeInForce}}%.
{{- else}}
No fee applies to {{.ChildTitle}}.
{{- end}}

You can propose another fee after logging in: {{.LoginURL}}
`,
		`{{template "open"}}<p>Hello,</p>
<p><strong>{{.ChildTitle}}</strong> declined the fee of {{.FeeProposed}}% that {{.ParentTitle}} proposed in {{.AppTitle}}.</p>
{{- if .FeeInForce}}
<p>The fee in force stays {{.FeeInForce}}%.</p>
{{- else}}
<p>No fee applies to {{.ChildTitle}}.</p>
{{- end}}
<p>You can propose another fee after you <a href="{{.LoginURL}}">log in</a>.</p>
{{template "close"}}`),
}
