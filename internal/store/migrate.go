package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFiles embed.FS

// Migration is one numbered schema change of a dialect.
type Migration struct {
	Version int
	Name    string
	SQL     string
	Applied int64 // Unix seconds; 0 when not applied
}

// Migrations lists the dialect's embedded migrations in order, with the
// time each was applied.
func (db *DB) Migrations(ctx context.Context) ([]Migration, error) {
	all, err := embedded(db.Dialect)
	if err != nil {
		return nil, err
	}
	if err := db.ensureMigrationTable(ctx); err != nil {
		return nil, err
	}

	rows, err := db.write.QueryContext(ctx, `SELECT version, applied FROM schema_migrations`)
	if err != nil {
		return nil, db.translate(err)
	}
	defer rows.Close()
	applied := map[int]int64{}
	for rows.Next() {
		var v int
		var at int64
		if err := rows.Scan(&v, &at); err != nil {
			return nil, db.translate(err)
		}
		applied[v] = at
	}
	for i := range all {
		all[i].Applied = applied[all[i].Version]
	}
	return all, db.translate(rows.Err())
}

// Migrate applies every migration not yet applied, each in its own
// transaction, and returns the ones it applied. On PostgreSQL an advisory
// lock keeps two instances from migrating at once; on SQLite the write
// transaction does.
func (db *DB) Migrate(ctx context.Context) ([]Migration, error) {
	pending, err := db.Migrations(ctx)
	if err != nil {
		return nil, err
	}

	var done []Migration
	for _, m := range pending {
		if m.Applied != 0 {
			continue
		}
		ran, err := db.apply(ctx, m)
		if err != nil {
			return done, fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
		if ran {
			done = append(done, m)
		}
	}
	return done, nil
}

// apply runs one migration unless another process applied it first.
func (db *DB) apply(ctx context.Context, m Migration) (bool, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()

	if db.Dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7263514001)`); err != nil {
			return false, err
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, m.Version).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}

	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied) VALUES ($1, $2, $3)`,
		m.Version, m.Name, time.Now().Unix()); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// ensureMigrationTable creates schema_migrations when it is missing. On
// PostgreSQL two concurrent CREATE TABLE IF NOT EXISTS can still collide,
// so it runs under the same advisory lock as the migrations.
func (db *DB) ensureMigrationTable(ctx context.Context) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return db.translate(err)
	}
	defer tx.Rollback()

	if db.Dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7263514001)`); err != nil {
			return db.translate(err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied BIGINT NOT NULL)`); err != nil {
		return db.translate(err)
	}
	return db.translate(tx.Commit())
}

// embedded reads migrations/<dialect>/NNNN_name.sql in version order.
func embedded(dialect Dialect) ([]Migration, error) {
	dir := "migrations/" + string(dialect)
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}

	var out []Migration
	for _, e := range entries {
		base, ok := strings.CutSuffix(e.Name(), ".sql")
		num, name, ok2 := strings.Cut(base, "_")
		version, err := strconv.Atoi(num)
		if !ok || !ok2 || err != nil {
			return nil, fmt.Errorf("migration file %s/%s: want NNNN_name.sql", dir, e.Name())
		}
		body, err := fs.ReadFile(migrationFiles, dir+"/"+e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: version, Name: name, SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}
