package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/record"
)

// export writes an engagement's evidence bundle to a file.
func export(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(out)
	id := fs.String("engagement", "", "the engagement's id (eng_…)")
	file := fs.String("out", "", "the zip file to write")
	lang := fs.String("lang", "", "language of the report: en, ru or bg; default the freelancer's")
	var c config
	fs.StringVar(&c.data, "data", env("DATA", "./accord-data"), "folder for the SQLite database and files (ACCORD_DATA)")
	fs.StringVar(&c.databaseURL, "database-url", env("DATABASE_URL", ""), "postgres://… to use PostgreSQL instead of SQLite (ACCORD_DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *id == "" || *file == "" {
		return errors.New("usage: accord export --engagement ID --out FILE [--lang en|ru|bg] [--data DIR | --database-url URL]")
	}
	switch *lang {
	case "", "en", "ru", "bg":
	default:
		return fmt.Errorf("--lang must be en, ru or bg, not %q", *lang)
	}
	a, err := c.openApp(ctx, accord.SystemClock{}, false)
	if err != nil {
		return err
	}
	defer a.Store.Close()
	var ref accord.EngagementRef
	l := i18n.Locale{Lang: *lang, Zone: time.UTC}
	if err := a.Store.Read(ctx, func(tx accord.Tx) (err error) {
		if ref, err = tx.FindEngagement(*id); err != nil {
			return fmt.Errorf("no engagement %s in this database", *id)
		}
		ws, err := tx.Workspace(ref.WorkspaceID)
		if err != nil {
			return err
		}
		if zone, err := time.LoadLocation(ws.Timezone); err == nil {
			l.Zone = zone
		}
		if owner, err := tx.UserByID(ws.OwnerID); err == nil && l.Lang == "" {
			l.Lang = owner.Language
		}
		return nil
	}); err != nil {
		return err
	}
	if l.Lang == "" {
		l.Lang = "en"
	}
	zip, err := a.Evidence(ctx, ref.WorkspaceID, ref.ID, l)
	if err != nil {
		return err
	}
	tmp := *file + ".part"
	if err := os.WriteFile(tmp, zip, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, *file); err != nil {
		os.Remove(tmp)
		return err
	}
	fmt.Fprintf(out, "wrote the evidence of %s to %s (%d bytes); check it with: accord verify %s\n", ref.ID, *file, len(zip), filepath.Base(*file))
	return nil
}

// verify checks an evidence bundle offline and names the first event that fails.
func verify(args []string, out io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: accord verify FILE (an evidence bundle, .zip)")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	v, err := record.Verify(data)
	if err != nil {
		return fmt.Errorf("%s does not hold: %w", args[0], err)
	}
	fmt.Fprintf(out, "%s holds: %d events of engagement %s, each in the tree of %d leaves that %s signed\n",
		args[0], v.Events, v.EngagementID, v.TreeSize, v.Origin)
	fmt.Fprintf(out, "signed with the key whose fingerprint is %s: compare it with the one the client was shown\n", v.Fingerprint)
	return nil
}
