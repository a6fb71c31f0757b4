package store

import (
	"context"

	"github.com/accountnet/accountnet"
)

// UpdateAccount writes the editable fields, version and update time of a.
// The domain, parent and creation time never change here.
func (q *Q) UpdateAccount(ctx context.Context, a *accountnet.Account) error {
	res, err := q.db.ExecContext(ctx, `UPDATE accounts SET title = $3, address = $4, city = $5, state = $6, zip = $7,
			phone = $8, url = $9, contact_name = $10, contact_email = $11, country_id = $12, timezone_id = $13,
			version_id = $14, updated = $15
		WHERE app_id = $1 AND id = $2`,
		a.AppID, a.ID, a.Title, a.Address, a.City, a.State, a.Zip,
		a.Phone, a.URL, a.ContactName, a.ContactEmail, a.CountryID, a.TimezoneID, a.VersionID, a.Updated)
	return q.expectOne(res, err, "account")
}
