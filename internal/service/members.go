package service

import (
	"context"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
)

// FindAccountUsers lists one page of an account's users with their roles,
// for the admin API. role, unless "", keeps only that role.
func (s *Service) FindAccountUsers(ctx context.Context, appID, accountID, search string, role accountnet.Role, page store.Page) ([]*store.AccountUser, int64, error) {
	q := s.DB.Reader()
	if _, err := q.FindApp(ctx, appID); err != nil {
		return nil, 0, err
	}
	if _, err := q.FindAccount(ctx, appID, accountID); err != nil {
		return nil, 0, err
	}
	return q.FindAccountUsers(ctx, appID, accountID, search, role, page)
}

// SetRole changes a user's role in an account. The account must keep at
// least one owner: demoting its last owner is a 409 last_owner. The
// account row is locked first, so two concurrent demotions of its two
// owners cannot both pass the check. The new role applies to the user's
// sessions from their next request.
func (s *Service) SetRole(ctx context.Context, appID, accountID, userID string, role accountnet.Role) (*store.AccountUser, error) {
	if !role.Valid() {
		return nil, accountnet.InvalidFields(map[string]string{"role": "Choose owner, admin or member."})
	}

	var out *store.AccountUser
	err := s.DB.Tx(ctx, func(q *store.Q) error {
		if _, err := q.FindApp(ctx, appID); err != nil {
			return err
		}
		if err := q.LockAccount(ctx, appID, accountID); err != nil {
			return err
		}
		if _, err := q.FindAccount(ctx, appID, accountID); err != nil {
			return err
		}
		au, err := q.FindAccountUser(ctx, appID, accountID, userID)
		if err != nil {
			return err
		}
		if au.Membership.Role == role {
			out = au
			return nil
		}

		if au.Membership.Role == accountnet.RoleOwner {
			owners, err := q.CountOwners(ctx, accountID)
			if err != nil {
				return err
			}
			if owners <= 1 {
				return accountnet.Conflict("last_owner",
					"This user is the account's only owner. Make another user owner first.")
			}
		}
		if err := q.SetRole(ctx, accountID, userID, role); err != nil {
			return err
		}
		au.Membership.Role = role
		out = au
		return nil
	})
	return out, err
}
