package service

import (
	"context"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
)

// FindAppInvitations lists one page of every invitation of the app, for
// the admin API.
func (s *Service) FindAppInvitations(ctx context.Context, appID string, filter store.InvitationFilter, page store.Page) ([]*accountnet.Invitation, int64, error) {
	q := s.DB.Reader()
	if _, err := q.FindApp(ctx, appID); err != nil {
		return nil, 0, err
	}
	filter.Now = s.now()
	return q.FindAppInvitations(ctx, appID, filter, page)
}

// FindAppNetworks lists one page of every network of the app, for the
// admin API.
func (s *Service) FindAppNetworks(ctx context.Context, appID string, filter store.NetworkFilter, page store.Page) ([]*store.NetworkDetail, int64, error) {
	q := s.DB.Reader()
	if _, err := q.FindApp(ctx, appID); err != nil {
		return nil, 0, err
	}
	return q.FindAppNetworks(ctx, appID, filter, page)
}

// FindRevenue lists one page of the app's revenue events, each with its
// share entry, for the admin API. Created is false in every result.
func (s *Service) FindRevenue(ctx context.Context, appID string, filter store.RevenueFilter, page store.Page) ([]*RevenueResult, int64, error) {
	q := s.DB.Reader()
	if _, err := q.FindApp(ctx, appID); err != nil {
		return nil, 0, err
	}
	events, shares, total, err := q.FindRevenue(ctx, appID, filter, page)
	if err != nil {
		return nil, 0, err
	}

	results := make([]*RevenueResult, len(events))
	for i := range events {
		results[i] = &RevenueResult{Event: events[i], Share: shares[i]}
	}
	return results, total, nil
}
