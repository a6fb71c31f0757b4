package store

import (
	"database/sql"
	"errors"

	"github.com/accountnet/accountnet"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Kinds of constraint failure the store reports. Callers that expect one
// (a unique username, say) turn it into a domain error with their own
// message; any other database error is a system error.
var (
	ErrUnique     = errors.New("store: unique constraint violated")
	ErrForeignKey = errors.New("store: foreign key constraint violated")
	ErrNoRows     = errors.New("store: no rows")
)

// translate turns a driver error into ErrUnique, ErrForeignKey or ErrNoRows
// by the database's error code, never by message text, and wraps the rest
// as an internal error.
func translate(dialect Dialect, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNoRows
	}

	var kind error
	switch dialect {
	case Postgres:
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			switch pgErr.Code {
			case "23505": // unique_violation
				kind = ErrUnique
			case "23503": // foreign_key_violation
				kind = ErrForeignKey
			}
		}
	case SQLite:
		var liteErr *sqlite.Error
		if errors.As(err, &liteErr) {
			switch liteErr.Code() {
			case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
				kind = ErrUnique
			case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
				kind = ErrForeignKey
			}
		}
	}
	if kind != nil {
		return errors.Join(kind, err)
	}

	var domainErr *accountnet.Error
	if errors.As(err, &domainErr) {
		return err
	}
	return &accountnet.Error{Code: accountnet.CodeInternal, Party: accountnet.PartySystem,
		Reason: "internal_error", Message: "Something went wrong on our side. Try again later.", Err: err}
}
