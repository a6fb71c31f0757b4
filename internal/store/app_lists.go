package store

import (
	"context"
	"strings"

	"github.com/accountnet/accountnet"
)

// The record lists across one app that the admin API serves. They use the
// filters of the lists of one account. Each table has an (app_id,
// created, …) index in the lists' order, so a page without a search is
// read from the index. The count still reads every matching entry.

// FindAppInvitations returns one page of every invitation of the app,
// newest first (ties by id, descending), with the total that match the
// filter.
func (q *Q) FindAppInvitations(ctx context.Context, appID string, f InvitationFilter, page Page) ([]*accountnet.Invitation, int64, error) {
	return q.pageInvitations(ctx, `i.app_id = $1`, []any{appID}, f, page)
}

// FindAppNetworks returns one page of every network of the app, newest
// first (ties by child account id, descending), with their fee history
// and the total that match the filter.
func (q *Q) FindAppNetworks(ctx context.Context, appID string, f NetworkFilter, page Page) ([]*NetworkDetail, int64, error) {
	conditions, args := f.where([]any{appID})
	where := ` WHERE n.app_id = $1` + conditions

	// The child account is joined only for a search on its title.
	count := `SELECT count(*) FROM networks n`
	if f.Search != "" {
		count += ` JOIN accounts a ON a.id = n.child_account_id`
	}
	var total int64
	if err := q.db.QueryRowContext(ctx, count+where, args...).Scan(&total); err != nil {
		return nil, 0, translate(q.dialect, err)
	}

	list, err := q.pageNetworks(ctx, where, args, total, page)
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// RevenueFilter selects revenue events for a record list.
type RevenueFilter struct {
	Search string             // part of the reference, matched case-insensitively
	Period *accountnet.Period // nil for every month
}

// where returns the conditions that follow the list's scope, with their
// arguments appended to args (the scope's arguments).
func (f RevenueFilter) where(args []any) (string, []any) {
	conditions := ""
	if f.Search != "" {
		args = append(args, "%"+likeEscape(strings.ToLower(f.Search))+"%")
		conditions += ` AND lower(e.reference) LIKE ` + placeholder(len(args)) + ` ESCAPE '\'`
	}
	if f.Period != nil {
		start, end := f.Period.Bounds()
		args = append(args, start, end)
		conditions += ` AND e.created >= ` + placeholder(len(args)-1) + ` AND e.created < ` + placeholder(len(args))
	}
	return conditions, args
}

// FindRevenue returns one page of the app's revenue events, newest first
// (ties by id, descending), each with its share entry (nil when the event
// produced none), and the total that match the filter.
func (q *Q) FindRevenue(ctx context.Context, appID string, f RevenueFilter, page Page) ([]*accountnet.RevenueEvent, []*accountnet.ShareEntry, int64, error) {
	conditions, args := f.where([]any{appID})
	where := ` WHERE e.app_id = $1` + conditions

	var total int64
	if err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM revenue_events e`+where, args...).Scan(&total); err != nil {
		return nil, nil, 0, translate(q.dialect, err)
	}

	n := len(args)
	rows, err := q.db.QueryContext(ctx, eventShareSelect+where+` ORDER BY e.created DESC, e.id DESC
		LIMIT `+placeholder(n+1)+` OFFSET `+placeholder(n+2), append(args, page.Size, page.Offset())...)
	if err != nil {
		return nil, nil, 0, translate(q.dialect, err)
	}
	list, err := collect(q, rows, scanEventShare)
	if err != nil {
		return nil, nil, 0, err
	}
	events, shares := splitEventShares(list)
	return events, shares, total, nil
}

// splitEventShares returns the events of list and, at the same indexes,
// their share entries.
func splitEventShares(list []*eventShare) ([]*accountnet.RevenueEvent, []*accountnet.ShareEntry) {
	events := make([]*accountnet.RevenueEvent, len(list))
	shares := make([]*accountnet.ShareEntry, len(list))
	for i, es := range list {
		events[i], shares[i] = es.event, es.share
	}
	return events, shares
}
