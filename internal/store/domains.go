package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/accountnet/accountnet"
)

const domainColumns = `id, app_id, title, description, signup_help, created`

func scanDomain(row interface{ Scan(...any) error }) (*accountnet.Domain, error) {
	var d accountnet.Domain
	err := row.Scan(&d.ID, &d.AppID, &d.Title, &d.Description, &d.SignupHelp, &d.Created)
	return &d, err
}

// CreateDomain inserts a domain. A title already used in the app, in any
// letter case, is ErrUnique.
func (q *Q) CreateDomain(ctx context.Context, d *accountnet.Domain) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO domains (id, app_id, title, title_key, description, signup_help, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		d.ID, d.AppID, d.Title, strings.ToLower(d.Title), d.Description, d.SignupHelp, d.Created)
	return translate(q.dialect, err)
}

// UpdateDomain writes the title and texts of d.
func (q *Q) UpdateDomain(ctx context.Context, d *accountnet.Domain) error {
	res, err := q.db.ExecContext(ctx, `UPDATE domains SET title = $3, title_key = $4, description = $5, signup_help = $6
		WHERE app_id = $1 AND id = $2`,
		d.AppID, d.ID, d.Title, strings.ToLower(d.Title), d.Description, d.SignupHelp)
	return q.expectOne(res, err, "domain")
}

// DeleteDomain deletes the app's domain. A domain that accounts, rules or
// invitations still use is ErrForeignKey.
func (q *Q) DeleteDomain(ctx context.Context, appID, id string) error {
	res, err := q.db.ExecContext(ctx, `DELETE FROM domains WHERE app_id = $1 AND id = $2`, appID, id)
	return q.expectOne(res, err, "domain")
}

// FindDomain returns the app's domain with id.
func (q *Q) FindDomain(ctx context.Context, appID, id string) (*accountnet.Domain, error) {
	d, err := scanDomain(q.db.QueryRowContext(ctx, `SELECT `+domainColumns+` FROM domains WHERE app_id = $1 AND id = $2`, appID, id))
	return d, q.notFound(err, "domain")
}

// FindDomains returns the app's domains ordered by title.
func (q *Q) FindDomains(ctx context.Context, appID string) ([]*accountnet.Domain, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+domainColumns+` FROM domains WHERE app_id = $1 ORDER BY title_key, id`, appID)
	if err != nil {
		return nil, translate(q.dialect, err)
	}
	return collect(q, rows, scanDomain)
}

const ruleColumns = `id, app_id, parent_domain_id, child_domain_id, monetized, max_fee, created`

func scanRule(row interface{ Scan(...any) error }) (*accountnet.Rule, error) {
	var r accountnet.Rule
	var maxFee sql.NullInt64
	err := row.Scan(&r.ID, &r.AppID, &r.ParentDomainID, &r.ChildDomainID, &r.Monetized, &maxFee, &r.Created)
	r.MaxFee = percent(maxFee)
	return &r, err
}

// CreateRule inserts a network rule. A second rule for the same pair is
// ErrUnique.
func (q *Q) CreateRule(ctx context.Context, r *accountnet.Rule) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO network_rules (`+ruleColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		r.ID, r.AppID, r.ParentDomainID, r.ChildDomainID, r.Monetized, nullPercent(r.MaxFee), r.Created)
	return translate(q.dialect, err)
}

// DeleteRule deletes the app's rule.
func (q *Q) DeleteRule(ctx context.Context, appID, id string) error {
	res, err := q.db.ExecContext(ctx, `DELETE FROM network_rules WHERE app_id = $1 AND id = $2`, appID, id)
	return q.expectOne(res, err, "network rule")
}

// FindRules returns the app's rules, oldest first.
func (q *Q) FindRules(ctx context.Context, appID string) ([]*accountnet.Rule, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+ruleColumns+` FROM network_rules WHERE app_id = $1 ORDER BY created, id`, appID)
	if err != nil {
		return nil, translate(q.dialect, err)
	}
	return collect(q, rows, scanRule)
}

// FindRule returns the rule from parentDomainID to childDomainID.
func (q *Q) FindRule(ctx context.Context, appID, parentDomainID, childDomainID string) (*accountnet.Rule, error) {
	r, err := scanRule(q.db.QueryRowContext(ctx, `SELECT `+ruleColumns+` FROM network_rules
		WHERE app_id = $1 AND parent_domain_id = $2 AND child_domain_id = $3`, appID, parentDomainID, childDomainID))
	return r, q.notFound(err, "network rule")
}

// ChildDomain is a domain that a rule lets a parent domain create.
type ChildDomain struct {
	Domain accountnet.Domain
	Rule   accountnet.Rule
}

// FindChildDomains returns the domains that accounts of parentDomainID may
// invite into, with the rule for each, ordered by title.
func (q *Q) FindChildDomains(ctx context.Context, appID, parentDomainID string) ([]*ChildDomain, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT d.id, d.app_id, d.title, d.description, d.signup_help, d.created,
			r.id, r.app_id, r.parent_domain_id, r.child_domain_id, r.monetized, r.max_fee, r.created
		FROM network_rules r JOIN domains d ON d.id = r.child_domain_id
		WHERE r.app_id = $1 AND r.parent_domain_id = $2 ORDER BY d.title_key, d.id`, appID, parentDomainID)
	if err != nil {
		return nil, translate(q.dialect, err)
	}
	return collect(q, rows, func(row interface{ Scan(...any) error }) (*ChildDomain, error) {
		var c ChildDomain
		var maxFee sql.NullInt64
		err := row.Scan(&c.Domain.ID, &c.Domain.AppID, &c.Domain.Title, &c.Domain.Description, &c.Domain.SignupHelp, &c.Domain.Created,
			&c.Rule.ID, &c.Rule.AppID, &c.Rule.ParentDomainID, &c.Rule.ChildDomainID, &c.Rule.Monetized, &maxFee, &c.Rule.Created)
		c.Rule.MaxFee = percent(maxFee)
		return &c, err
	})
}
