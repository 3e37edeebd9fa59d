package app_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/blob"
	"github.com/accordapp/accord/internal/demo"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/store"
)

// A delivery is stored at once, its previews pending; the jobs that make them fill them in on
// the record, and only then is the client told. A job run again changes nothing.
func TestPreviewsAreMadeInTheBackground(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	blobs, err := blob.NewDir(dir + "/blobs")
	if err != nil {
		t.Fatal(err)
	}
	a := app.New(st, blobs, accord.NewTestClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)), i18n.New())
	if err := a.OpenJobs(ctx, 10*time.Millisecond); err != nil { // jobs are taken, not yet worked
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, a); err != nil {
		t.Fatal(err)
	}
	u, err := a.Login(ctx, demo.Email, demo.Password, "test")
	if err != nil {
		t.Fatal(err)
	}
	f, err := a.FreelancerOf(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	e := delivered(t, a, f) // the demo delivered a concept while no job was worked
	d := &e.Deliveries[0]
	if n := d.PreviewsPending(); n != len(d.Files) || n == 0 {
		t.Fatalf("%d of the %d files delivered are waiting for their previews, want all", n, len(d.Files))
	}
	if d.Files[0].Preview != "" {
		t.Fatalf("a file delivered has its preview already: %+v", d.Files[0])
	}
	if n := deliveryMails(t, a, f); n != 0 {
		t.Fatalf("%d delivery emails before the previews are made, want none", n)
	}

	stop, err := a.StartJobs(ctx, 10*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	did := d.ID
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		e, err = a.Engagement(ctx, f, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d = e.Delivery(did); d.PreviewsPending() == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the previews were never made")
		}
	}
	for _, file := range d.Files {
		if file.Preview == "" || file.PreviewType != "image/jpeg" || file.PreviewState != "" {
			t.Fatalf("file after its job: %+v", file)
		}
	}
	evs, err := a.Events(ctx, f.WorkspaceID, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	ready := 0
	for _, ev := range evs {
		if ev.Type == "preview.ready" && ev.Actor == "system:accord" {
			ready++
		}
	}
	if ready != len(d.Files) {
		t.Fatalf("%d preview.ready events by the system, want %d", ready, len(d.Files))
	}
	if n := deliveryMails(t, a, f); n != 1 { // queued with the last preview
		t.Fatalf("%d delivery emails once the previews are made, want 1", n)
	}

	args, _ := json.Marshal(map[string]string{"workspace_id": f.WorkspaceID, "engagement_id": e.ID, "file_id": d.Files[0].ID})
	if err := a.RunJob(ctx, app.JobPreview, args); err != nil {
		t.Fatal(err)
	}
	again, err := a.Events(ctx, f.WorkspaceID, e.ID)
	if err != nil || len(again) != len(evs) {
		t.Fatalf("a preview job run again recorded %d events more (%v)", len(again)-len(evs), err)
	}
}

// delivered finds the demo's engagement with a delivery.
func delivered(t *testing.T, a *app.App, f app.Freelancer) *accord.Engagement {
	t.Helper()
	es, err := a.Engagements(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if len(e.Deliveries) > 0 {
			return e
		}
	}
	t.Fatal("the demo has no delivery")
	return nil
}

func deliveryMails(t *testing.T, a *app.App, f app.Freelancer) int {
	t.Helper()
	ms, err := a.MailPage(context.Background(), f, accord.Page{Size: accord.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range ms.Items {
		if m.Kind == "delivery" {
			n++
		}
	}
	return n
}
