// Package testdb opens fresh, migrated stores for tests: SQLite in a
// temporary directory, and PostgreSQL in a schema of its own inside the
// database named by ACCOUNTNET_TEST_POSTGRES_URL.
package testdb

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
)

// PostgresEnv names the variable that points the tests at PostgreSQL, for
// example postgres://root@127.0.0.1:5432/accountnet_test. When it is unset
// the PostgreSQL half of every suite is skipped with a notice.
const PostgresEnv = "ACCOUNTNET_TEST_POSTGRES_URL"

var notice sync.Once

// Each runs fn once per database: a subtest "sqlite" and a subtest
// "postgres".
func Each(t *testing.T, fn func(t *testing.T, databaseURL string)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, SQLiteURL(t))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, PostgresURL(t))
	})
}

// SQLiteURL returns the path of a new SQLite file in a temporary directory.
func SQLiteURL(tb testing.TB) string {
	return tb.TempDir() + "/accountnet.db"
}

// PostgresURL creates a schema for this test in the test database and
// returns a URL whose connections use it. The schema is dropped when the
// test ends. It skips the test when PostgresEnv is unset.
func PostgresURL(tb testing.TB) string {
	base := os.Getenv(PostgresEnv)
	if base == "" {
		notice.Do(func() {
			println("testdb: " + PostgresEnv + " is not set, so the PostgreSQL tests are skipped")
		})
		tb.Skip(PostgresEnv + " is not set")
	}

	schema := "t_" + accountnet.NewID("")
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open %s: %v", PostgresEnv, err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			tb.Errorf("drop schema: %v", err)
			return
		}
		defer db.Close()
		if _, err := db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			tb.Errorf("drop schema: %v", err)
		}
	})

	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open returns a migrated store for databaseURL, closed when the test ends.
func Open(tb testing.TB, databaseURL string) *store.DB {
	ctx := context.Background()
	db, err := store.Open(ctx, databaseURL, tb.TempDir())
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return db
}
