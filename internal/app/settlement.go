package app

import (
	"context"

	"github.com/accordapp/accord"
)

// Settlement computes what ending the engagement now by option would come to.
func (a *App) Settlement(ctx context.Context, f Freelancer, id, option, unused string) (accord.Settlement, error) {
	e, err := a.Engagement(ctx, f, id)
	if err != nil {
		return accord.Settlement{}, err
	}
	return e.SettleWith(option, unused)
}

// Terminate ends the engagement early by option; the client is told what it comes to.
func (a *App) Terminate(ctx context.Context, f Freelancer, id, option, unused string) (*accord.Engagement, error) {
	return a.change(ctx, f.WorkspaceID, id, func(tx accord.Tx, e *accord.Engagement) error {
		c := a.cmdOf(f)
		s, err := e.Terminate(c, option, unused)
		if err != nil {
			return err
		}
		if option == accord.SettleContinue {
			m := e.Milestone(s.MilestoneID)
			if s.ClientOwes.Amount > 0 { // the milestone closes at what was worked: its balance is due
				if _, err := a.issueInvoice(tx, e, c, m.ID, accord.InvoiceBalance); err != nil {
					return err
				}
			}
			return a.askMail(tx, e, c, "closed_early", map[string]any{"num": m.N, "milestone": m.Title, "closes": s.ClosesAt,
				"credit": s.Credit, "credited": s.Credit.Amount > 0, "owes": s.ClientOwes, "owed": s.ClientOwes.Amount > 0})
		}
		data := map[string]any{"keeps": s.FreelancerKeeps, "refund": s.RefundDue,
			"owes": s.ClientOwes, "refund_due": s.RefundDue.Amount > 0, "owed": s.ClientOwes.Amount > 0}
		in, err := a.invoicing(tx, e)
		if err != nil {
			return err
		}
		if inv := e.SettlementInvoice(c, in.InvoiceDraft); inv != nil {
			issued, err := a.number(tx, e, c, inv, in)
			if err != nil {
				return err
			}
			data["number"], data["reference"] = issued.Number, issued.Reference
		}
		return a.askMail(tx, e, c, "terminated", data)
	})
}

// RecordRefund records money sent back to the client, who is told.
func (a *App) RecordRefund(ctx context.Context, f Freelancer, id string, amount accord.Money, ref string) (string, error) {
	var rid string
	_, err := a.change(ctx, f.WorkspaceID, id, func(tx accord.Tx, e *accord.Engagement) error {
		c := a.cmdOf(f)
		var err error
		if rid, err = e.RecordRefund(c, amount, ref); err != nil {
			return err
		}
		return a.askMailFiles(tx, e, c, "refund", map[string]any{"amount": amount, "reference": ref}, a.receiptFile(ctx, tx, e, rid))
	})
	return rid, err
}
