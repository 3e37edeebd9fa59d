package jobs

import (
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// River's cleaner measures a finished job's age by the real clock: under a test clock far
// behind it, a job that failed for good would be deleted at the cleaner's next pass, and the
// failure with it. Under a test clock nothing finished is deleted; under the system clock
// River's retention stands.
func TestATestClockKeepsFinishedJobs(t *testing.T) {
	cfg := Config{Clock: accord.NewTestClock(time.Now().AddDate(0, -1, 0))}.withDefaults()
	behind := newRunner(cfg).riverConfig(cfg)
	if behind.DiscardedJobRetentionPeriod != -1 || behind.CompletedJobRetentionPeriod != -1 || behind.CancelledJobRetentionPeriod != -1 {
		t.Errorf("under a test clock a month behind, finished jobs are kept for %v (discarded), %v (completed), %v (cancelled)",
			behind.DiscardedJobRetentionPeriod, behind.CompletedJobRetentionPeriod, behind.CancelledJobRetentionPeriod)
	}
	cfg = Config{}.withDefaults()
	system := newRunner(cfg).riverConfig(cfg)
	if system.DiscardedJobRetentionPeriod != 0 || system.CompletedJobRetentionPeriod != 0 || system.CancelledJobRetentionPeriod != 0 {
		t.Errorf("under the system clock the retention is not River's own: %v (discarded), %v (completed), %v (cancelled)",
			system.DiscardedJobRetentionPeriod, system.CompletedJobRetentionPeriod, system.CancelledJobRetentionPeriod)
	}
}
