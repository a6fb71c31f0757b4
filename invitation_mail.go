package accountnet

// Mails to the user who created an invitation, about what the invitee did
// with it.
const (
	MailInvitationAccepted MailKind = "invitation_accepted"
	MailInvitationDeclined MailKind = "invitation_declined"
)
