package app

import (
	"testing"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
)

// Every step a client can owe has its reminder, in every language, and words for what is owed:
// a nudge for a step without one would fail rather than mail a bare key.
func TestEveryClientStepHasAReminder(t *testing.T) {
	cat := i18n.New()
	for _, s := range []accord.Step{accord.StepAnswerBrief, accord.StepAcceptAgreement, accord.StepAcceptAmendment,
		accord.StepAnswerInfo, accord.StepPrepay, accord.StepPay, accord.StepReview, accord.StepAcceptChange, accord.StepChooseOption, accord.StepConfirmSummary} {
		kind := reminders[s]
		if kind == "" {
			t.Errorf("no reminder for %s", s)
			continue
		}
		for _, key := range []string{"mail." + kind + ".subject", "mail." + kind + ".body", "owed." + string(s)} {
			if !cat.Has(key) {
				t.Errorf("%s: the catalog lacks %s", s, key)
			}
		}
	}
}
