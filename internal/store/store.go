// Package store keeps accountnet's records in SQLite or PostgreSQL. Both
// dialects share one set of queries (both accept $N placeholders); the
// differences are limited to opening, migrations and error translation.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Dialect names the database system behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open store. SQLite gets two pools, one connection that writes
// and several that read, because SQLite allows one writer at a time and
// queueing writers in Go is cheaper than retrying on SQLITE_BUSY.
// PostgreSQL uses one pool for both.
type DB struct {
	Dialect Dialect
	write   *sql.DB
	read    *sql.DB
}

// IsPostgresURL reports whether a --database value selects PostgreSQL.
func IsPostgresURL(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// Open opens the store: PostgreSQL when databaseURL is a postgres:// URL,
// otherwise SQLite in databaseURL (a file path), or in
// dataDir/accountnet.db when databaseURL is empty. It does not migrate.
func Open(ctx context.Context, databaseURL, dataDir string) (*DB, error) {
	if IsPostgresURL(databaseURL) {
		return openPostgres(ctx, databaseURL)
	}

	path := databaseURL
	if path == "" {
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		path = filepath.Join(dataDir, "accountnet.db")
	}
	return openSQLite(ctx, path)
}

func openPostgres(ctx context.Context, url string) (*DB, error) {
	pool, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(20)

	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	return &DB{Dialect: Postgres, write: pool, read: pool}, nil
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	// busy_timeout covers other processes (a second "accountnet migrate");
	// inside this process the single write connection already serialises.
	pragmas := "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)"
	write, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)

	read, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&mode=ro")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	read.SetMaxOpenConns(8)

	if err := write.PingContext(ctx); err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return &DB{Dialect: SQLite, write: write, read: read}, nil
}

// Close closes the pools.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Ping checks that the database responds. /readyz calls it.
func (db *DB) Ping(ctx context.Context) error {
	return db.read.PingContext(ctx)
}

// querier is the query interface shared by *sql.DB and *sql.Tx.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Q runs queries either in a transaction or directly on a pool. Every
// record method is defined on Q, so the same code serves both.
type Q struct {
	db      querier
	dialect Dialect
}

// Reader returns a Q on the read pool, for queries outside a transaction.
func (db *DB) Reader() *Q {
	return &Q{db: db.read, dialect: db.Dialect}
}

// Tx runs fn in a write transaction and commits when fn returns nil. Any
// error from fn, or a panic, rolls everything back.
func (db *DB) Tx(ctx context.Context, fn func(q *Q) error) (err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return db.translate(err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()

	if err = fn(&Q{db: tx, dialect: db.Dialect}); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return db.translate(err)
	}
	return nil
}

func (db *DB) translate(err error) error {
	return translate(db.Dialect, err)
}
