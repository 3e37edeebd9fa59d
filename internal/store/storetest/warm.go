package storetest

import (
	"database/sql"
	"testing"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/store/sqlstore"
)

// testWarmEngagements checks the engagements a write finds already decoded (sqlstore's warm
// cache): the next write of an engagement gets it as the last write saved it, never an object
// the last write's caller still holds, and never once the stored snapshot changed some other way.
func testWarmEngagements(t *testing.T, st accord.Store, raw *sql.DB) {
	stats, ok := st.(sqlstore.WriteCounter)
	if !ok {
		t.Skip("the store does not count its writes")
	}
	f := NewFixture(t, st)
	by := f.Freelancer()
	e := newEngagement(t, st, f, "Warm", T0)
	change := func(title string, at time.Time) (held *accord.Engagement, warm uint64) {
		t.Helper()
		before := stats.WriteStats().Warm
		write(t, st, func(tx accord.Tx) error {
			var err error
			if held, err = tx.Engagement(f.Workspace.ID, e.ID); err != nil {
				return err
			}
			if err := held.WriteBrief(accord.Cmd{Now: at, By: by}, []accord.Question{{Text: title}}); err != nil {
				return err
			}
			return tx.SaveEngagement(held)
		})
		return held, stats.WriteStats().Warm - before
	}

	first, _ := change("First?", T0.Add(time.Minute))
	first.Title = "changed by the caller after its write" // what it holds is its own
	second, warm := change("Second?", T0.Add(2*time.Minute))
	if warm != 1 {
		t.Errorf("the second write found %d engagements decoded ahead, want 1 (the one the first saved)", warm)
	}
	if second.Title != "Warm" || second == first {
		t.Errorf("the second write got title %q (the same object as the first's: %v), want the stored %q", second.Title, second == first, "Warm")
	}
	if got, want := jsonOf(t, load(t, st, f.Workspace.ID, e.ID)), jsonOf(t, second); got != want {
		t.Errorf("stored after the second write:\n got %s\nwant %s", got, want)
	}

	// The snapshot changed outside the store's writes: the next write must read it as stored.
	if _, err := raw.Exec(`UPDATE engagements SET snapshot = replace(snapshot, '"title":"Warm"', '"title":"Changed outside"') WHERE id = '` + e.ID + `'`); err != nil {
		t.Fatal(err)
	}
	third, warm := change("Third?", T0.Add(3*time.Minute))
	if warm != 0 || third.Title != "Changed outside" {
		t.Errorf("after the snapshot changed outside, the write found %d decoded ahead and title %q, want 0 and %q", warm, third.Title, "Changed outside")
	}

	// A write undone leaves nothing behind for the next.
	before := stats.WriteStats().Warm
	err := st.Write(opCtx(t), func(tx accord.Tx) error {
		if _, err := tx.Engagement(f.Workspace.ID, e.ID); err != nil {
			return err
		}
		return accord.Errorf(accord.ECONFLICT, "engagement.changed_meanwhile")
	})
	wantCode(t, err, accord.ECONFLICT, "the undone write")
	fourth, _ := change("Fourth?", T0.Add(4*time.Minute))
	if got := stats.WriteStats().Warm - before; got != 1 {
		t.Errorf("the undone write and the next found %d engagements decoded ahead, want 1 (the undone one's, taken)", got)
	}
	if fourth.Seq != third.Seq+1 || len(fourth.Brief.Questions) != 1 || fourth.Brief.Questions[0].Text != "Fourth?" {
		t.Errorf("the fourth write's engagement: seq %d (want %d), brief %+v", fourth.Seq, third.Seq+1, fourth.Brief)
	}
}
