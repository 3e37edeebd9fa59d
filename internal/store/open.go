// Package store opens the database a URL names.
package store

import (
	"context"
	"github.com/accordapp/accord"
	"path/filepath"
	"strings"

	"github.com/accordapp/accord/internal/store/postgres"
	"github.com/accordapp/accord/internal/store/sqlite"
)

// Open opens the store a URL names: postgres:// or postgresql:// for PostgreSQL; empty for
// SQLite in dataDir; sqlite:PATH for a SQLite file elsewhere.
func Open(ctx context.Context, url, dataDir string) (accord.Store, error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return postgres.Open(ctx, url)
	case strings.HasPrefix(url, "sqlite:"):
		return sqlite.Open(ctx, strings.TrimPrefix(url, "sqlite:"))
	case url == "":
		return sqlite.Open(ctx, filepath.Join(dataDir, "accord.db"))
	}
	return nil, &UnknownURLError{URL: url}
}

// UnknownURLError says which database URLs Accord understands.
type UnknownURLError struct{ URL string }

func (e *UnknownURLError) Error() string {
	return "unknown database URL " + e.URL + ": use postgres://… for PostgreSQL, or leave it empty for SQLite in --data"
}
