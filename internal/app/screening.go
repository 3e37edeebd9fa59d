package app

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/screen"
)

// screening is the red flags of a client's text, looked for before the write that keeps them:
// the scan is work that need not hold the database's one writer.
type screening struct {
	text  string
	codes []string
}

// screenOf screens text as a message or an answer keeps it (see accord.Invalid.Text).
func screenOf(text string) screening {
	text = strings.TrimSpace(accord.CleanText(text))
	return screening{text, screen.Scan(text)}
}

// of is the red flags of text: those found before when it is the text screened, else found now.
func (s screening) of(text string) []string {
	if text == s.text {
		return s.codes
	}
	return screen.Scan(text)
}

// screenText records the red flags a client's text shows (from pre, when it screened the same
// text), in the same transaction, found in "brief" or "message".
func (a *App) screenText(tx accord.Tx, e *accord.Engagement, text, foundIn string, pre screening) error {
	codes := pre.of(text)
	if len(codes) == 0 {
		return nil
	}
	cl, err := tx.Client(e.WorkspaceID, e.ClientID)
	if err != nil {
		return err
	}
	added := false
	for _, code := range codes {
		added = cl.Flag(accord.RedFlag{Code: code, FoundIn: foundIn, At: a.Clock.Now(), EngagementID: e.ID}) || added
	}
	if !added {
		return nil
	}
	return tx.SetRedFlags(cl.WorkspaceID, cl.ID, cl.RedFlags)
}

// briefText is the client's brief answers as one text, in question order.
func briefText(answers map[string]string) string {
	keys := make([]string, 0, len(answers))
	for k := range answers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(answers[k] + "\n")
	}
	return b.String()
}

// FlagClient sets a red flag on a client by hand.
func (a *App) FlagClient(ctx context.Context, f Freelancer, id, code string) (accord.Client, error) {
	var c accord.Client
	err := a.Store.Write(ctx, func(tx accord.Tx) error {
		var err error
		if c, err = tx.Client(f.WorkspaceID, id); err != nil {
			return err
		}
		if !slices.Contains(screen.Codes, code) {
			var v accord.Invalid
			v.Add("code", "red_flag.code")
			return v.Err()
		}
		if !c.Flag(accord.RedFlag{Code: code, FoundIn: "manual", At: a.Clock.Now()}) {
			return nil
		}
		return tx.SetRedFlags(c.WorkspaceID, c.ID, c.RedFlags)
	})
	return c, err
}

// TrustClient relaxes the workspace's policy for a client, with the reason on the client.
func (a *App) TrustClient(ctx context.Context, f Freelancer, id, reason string) (accord.Client, error) {
	var c accord.Client
	err := a.Store.Write(ctx, func(tx accord.Tx) error {
		var err error
		if c, err = tx.Client(f.WorkspaceID, id); err != nil {
			return err
		}
		if err := accord.TrustClient(&c, reason); err != nil {
			return err
		}
		return tx.SetClientTrust(c.WorkspaceID, c.ID, c.TrustedReason)
	})
	return c, err
}
