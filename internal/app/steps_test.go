package app

import (
	"testing"
	"time"

	"github.com/accordapp/accord/internal/jobs"
)

// A change needs a job for a step it brought, or brought earlier, or that is past its time; a
// step still to come that it left or moved later has its job already, at the earlier time.
func TestNewSteps(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return now.Add(time.Duration(h) * time.Hour) }
	nudge := func(h int) jobs.Job { return jobs.Job{Kind: JobNudge, At: at(h)} }
	report := func(h int) jobs.Job { return jobs.Job{Kind: JobReport, At: at(h)} }
	for _, c := range []struct {
		name          string
		before, after []jobs.Job
		want          []jobs.Job
	}{
		{"a new step", nil, []jobs.Job{nudge(72)}, []jobs.Job{nudge(72)}},
		{"left where it was", []jobs.Job{nudge(72)}, []jobs.Job{nudge(72)}, nil},
		{"moved later", []jobs.Job{nudge(24)}, []jobs.Job{nudge(72)}, nil},
		{"moved earlier", []jobs.Job{nudge(72)}, []jobs.Job{nudge(24)}, []jobs.Job{nudge(24)}},
		{"past its time, left", []jobs.Job{nudge(-1)}, []jobs.Job{nudge(-1)}, []jobs.Job{nudge(-1)}},
		{"past its time, moved later", []jobs.Job{nudge(-1)}, []jobs.Job{nudge(72)}, []jobs.Job{nudge(72)}},
		{"another kind's time is no job's", []jobs.Job{report(24)}, []jobs.Job{nudge(72), report(24)}, []jobs.Job{nudge(72)}},
		{"gone", []jobs.Job{nudge(24)}, nil, nil},
	} {
		got := newSteps(c.before, c.after, now)
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i].Kind != c.want[i].Kind || !got[i].At.Equal(c.want[i].At) {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
			}
		}
	}
}
