package store

import (
	"context"
	"strings"

	"github.com/accountnet/accountnet"
)

const mailColumns = `id, app_id, kind, to_address, from_name, from_address, subject, text_body, html_body,
	status, attempts, last_error, next_attempt, COALESCE(invitation_id, ''), created, sent`

func scanMail(row interface{ Scan(...any) error }) (*accountnet.Mail, error) {
	var m accountnet.Mail
	err := row.Scan(&m.ID, &m.AppID, &m.Kind, &m.To, &m.FromName, &m.FromAddress, &m.Subject, &m.Text, &m.HTML,
		&m.Status, &m.Attempts, &m.LastError, &m.NextAttempt, &m.InvitationID, &m.Created, &m.Sent)
	return &m, err
}

// CreateMail queues a mail. Call it in the transaction of the change that
// causes the mail, so that both exist or neither does.
func (q *Q) CreateMail(ctx context.Context, m *accountnet.Mail) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO mails (id, app_id, kind, to_address, from_name, from_address, subject,
			text_body, html_body, status, attempts, last_error, next_attempt, invitation_id, created, sent)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		m.ID, m.AppID, m.Kind, m.To, m.FromName, m.FromAddress, m.Subject, m.Text, m.HTML, m.Status,
		m.Attempts, m.LastError, m.NextAttempt, nullString(m.InvitationID), m.Created, m.Sent)
	return translate(q.dialect, err)
}

// FindMails returns one page of the app's mail, newest first, with the
// total. search matches the recipient case-insensitively.
func (q *Q) FindMails(ctx context.Context, appID, search string, page Page) ([]*accountnet.Mail, int64, error) {
	pattern := "%" + likeEscape(strings.ToLower(search)) + "%"

	var total int64
	err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM mails WHERE app_id = $1 AND lower(to_address) LIKE $2 ESCAPE '\'`,
		appID, pattern).Scan(&total)
	if err != nil {
		return nil, 0, translate(q.dialect, err)
	}

	rows, err := q.db.QueryContext(ctx, `SELECT `+mailColumns+` FROM mails WHERE app_id = $1 AND lower(to_address) LIKE $2 ESCAPE '\'
		ORDER BY created DESC, seq DESC LIMIT $3 OFFSET $4`, appID, pattern, page.Size, page.Offset())
	if err != nil {
		return nil, 0, translate(q.dialect, err)
	}
	list, err := collect(q, rows, scanMail)
	return list, total, err
}

// ClaimMail leases the oldest mail due at now for leaseSeconds and counts
// the attempt. It returns nil when no mail is due. The conditions repeat in
// the outer UPDATE, so that a worker that lost the race for a row finds it
// leased and claims nothing.
func (q *Q) ClaimMail(ctx context.Context, now, leaseSeconds int64) (*accountnet.Mail, error) {
	// On PostgreSQL, SKIP LOCKED lets concurrent workers pass over a row
	// another worker is claiming instead of queueing behind it.
	skipLocked := ""
	if q.dialect == Postgres {
		skipLocked = " FOR UPDATE SKIP LOCKED"
	}
	m, err := scanMail(q.db.QueryRowContext(ctx, `UPDATE mails SET lease_until = $2, attempts = attempts + 1
		WHERE id = (SELECT id FROM mails WHERE status = 'queued' AND next_attempt <= $1 AND lease_until <= $1
			ORDER BY next_attempt, created LIMIT 1`+skipLocked+`)
		AND status = 'queued' AND next_attempt <= $1 AND lease_until <= $1
		RETURNING `+mailColumns, now, now+leaseSeconds))
	if err := q.notFound(err, "mail"); err != nil {
		if accountnet.ErrorCode(err) == accountnet.CodeNotFound {
			return nil, nil
		}
		return nil, err
	}
	return m, nil
}

// The Mark methods record the outcome of the attempt that ClaimMail
// numbered attempts. When another worker claimed the mail since (its
// lease ran out), the attempt count differs, nothing is written, and they
// return a not-found error: the newer attempt's outcome is the one kept.

// MarkMailSent records a delivered mail.
func (q *Q) MarkMailSent(ctx context.Context, id string, attempts int, now int64) error {
	res, err := q.db.ExecContext(ctx, `UPDATE mails SET status = 'sent', sent = $3, lease_until = 0, last_error = ''
		WHERE id = $1 AND attempts = $2`, id, attempts, now)
	return q.expectOne(res, err, "mail attempt")
}

// MarkMailRetry records a failed attempt and schedules the next one.
func (q *Q) MarkMailRetry(ctx context.Context, id string, attempts int, lastError string, nextAttempt int64) error {
	res, err := q.db.ExecContext(ctx, `UPDATE mails SET next_attempt = $3, last_error = $4, lease_until = 0
		WHERE id = $1 AND attempts = $2`, id, attempts, nextAttempt, lastError)
	return q.expectOne(res, err, "mail attempt")
}

// MarkMailFailed records that the mail will not be retried.
func (q *Q) MarkMailFailed(ctx context.Context, id string, attempts int, lastError string) error {
	res, err := q.db.ExecContext(ctx, `UPDATE mails SET status = 'failed', last_error = $3, lease_until = 0
		WHERE id = $1 AND attempts = $2`, id, attempts, lastError)
	return q.expectOne(res, err, "mail attempt")
}

// CountQueuedMails returns the number of mails waiting for delivery.
func (q *Q) CountQueuedMails(ctx context.Context) (int64, error) {
	var n int64
	err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM mails WHERE status = 'queued'`).Scan(&n)
	return n, translate(q.dialect, err)
}
