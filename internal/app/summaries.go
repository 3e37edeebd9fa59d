package app

import (
	"context"
	"strings"

	"github.com/accordapp/accord"
)

// WriteCallSummary puts the points agreed on a call on the record and asks the client, by
// email with a fresh portal link, to confirm or correct each.
func (a *App) WriteCallSummary(ctx context.Context, f Freelancer, id string, points []string) (*accord.CallSummary, error) {
	var sum *accord.CallSummary
	_, err := a.change(ctx, f.WorkspaceID, id, func(tx accord.Tx, e *accord.Engagement) error {
		c := a.cmdOf(f)
		var err error
		if sum, err = e.WriteCallSummary(c, points); err != nil {
			return err
		}
		return a.askMail(tx, e, c, "call_summary", map[string]any{"points": pointList(sum), "count": len(sum.Points)})
	})
	return sum, err
}

// AnswerCallSummary is the client's confirmation or correction of each point; the freelancer is
// told, with the corrections.
func (a *App) AnswerCallSummary(ctx context.Context, c Contact, summaryID string, answers map[string]accord.PointAnswer) (*accord.CallSummary, error) {
	var sum *accord.CallSummary
	_, err := a.change(ctx, c.WorkspaceID, c.EngagementID, func(tx accord.Tx, e *accord.Engagement) error {
		if err := e.AnswerCallSummary(a.cmd(c.actor()), summaryID, answers); err != nil {
			return err
		}
		sum = e.CallSummary(summaryID)
		corrected := 0
		for _, p := range sum.Points {
			if p.Correction != "" {
				corrected++
			}
		}
		return a.notify(tx, e, accord.NotifySummaryAnswered, map[string]any{"points": pointList(sum),
			"count": corrected})
	})
	return sum, err
}

// pointList writes a summary's points one a line, each correction beside its point.
func pointList(s *accord.CallSummary) string {
	var b strings.Builder
	for i, p := range s.Points {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("• " + p.Text)
		if p.Correction != "" {
			b.WriteString("\n  → " + p.Correction)
		}
	}
	return b.String()
}
