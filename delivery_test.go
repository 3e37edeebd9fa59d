package accord_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// started returns an agreed engagement whose first milestone is prepaid and in progress.
func started(t *testing.T) *accord.Engagement {
	t.Helper()
	e := agreed(t)
	pay(t, e, 1, "500.00")
	mustOK(t, e.StartMilestone(fl(11), e.Milestones[0].ID))
	return e
}

func TestDeliver(t *testing.T) {
	files := func() []accord.File {
		return []accord.File{{Name: "logo.png", Size: 3, SHA256: "abc", ContentType: "image/png"}}
	}
	tests := []struct {
		name   string
		setup  func(t *testing.T) *accord.Engagement
		n      int
		note   string
		files  []accord.File
		code   string
		key    string
		fields []string
	}{
		{name: "in progress", setup: started, n: 1, note: "  first sketches ", files: files()},
		{name: "awaiting prepayment", setup: func(t *testing.T) *accord.Engagement { return agreed(t) }, n: 1, files: files(), code: accord.ECONFLICT, key: "delivery.not_in_progress"},
		{name: "pending", setup: started, n: 2, files: files(), code: accord.ECONFLICT, key: "delivery.not_in_progress"},
		{name: "already delivered", setup: func(t *testing.T) *accord.Engagement {
			e := started(t)
			deliver(t, e, 1)
			return e
		}, n: 1, files: files(), code: accord.ECONFLICT, key: "delivery.not_in_progress"},
		{name: "no files", setup: started, n: 1, code: accord.EINVALID, key: "error.invalid", fields: []string{"file=delivery.no_files"}},
		{name: "note too long", setup: started, n: 1, note: strings.Repeat("a", 20001), files: files(),
			code: accord.EINVALID, key: "error.invalid", fields: []string{"note=field.too_long"}},
		{name: "unknown milestone", setup: started, n: 0, files: files(), code: accord.ENOTFOUND, key: "milestone.not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.setup(t)
			id := "ms_unknown"
			if tt.n > 0 {
				id = e.Milestones[tt.n-1].ID
			}
			before := msStates(e)
			n, nd := len(e.Uncommitted()), len(e.Deliveries)
			did, err := e.Deliver(fl(20), id, tt.note, tt.files)
			checkErr(t, err, tt.code, tt.key, tt.fields...)
			if tt.code != "" {
				if did != "" || len(e.Deliveries) != nd || len(e.Uncommitted()) != n || !slices.Equal(msStates(e), before) {
					t.Errorf("refused delivery left a trace")
				}
				return
			}
			d := e.Delivery(did)
			if d == nil || d.State != accord.DeliverySubmitted || d.Note != "first sketches" || d.MilestoneID != id ||
				len(d.Files) != 1 || !strings.HasPrefix(d.Files[0].ID, "file_") || d.Files[0].SHA256 != "abc" || !d.At.Equal(t0.Add(20*time.Minute)) {
				t.Fatalf("delivery = %+v", d)
			}
			if f, fd := e.File(d.Files[0].ID); f == nil || fd != d {
				t.Errorf("File(%s) = %v, %v", d.Files[0].ID, f, fd)
			}
			if e.Milestones[0].State != handed {
				t.Errorf("milestone = %s", e.Milestones[0].State)
			}
		})
	}
}

func TestAcceptDelivery(t *testing.T) {
	tests := []struct {
		name    string
		paid    string // paid on milestone 1 before acceptance
		plans   []accord.MilestonePlan
		ms      []accord.MilestoneState
		state   accord.EngagementState
		release bool
	}{
		{name: "prepayment only", paid: "500.00", ms: []accord.MilestoneState{accepted, pending}, state: accord.Active},
		{name: "paid in full", paid: "1000.00", ms: []accord.MilestoneState{paid, awaiting}, state: accord.Active, release: true},
		{name: "last milestone paid in full", paid: "1000.00", plans: []accord.MilestonePlan{plan("Only", 3, "1000.00", 50)},
			ms: []accord.MilestoneState{paid}, state: accord.Completed, release: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := agreed(t, tt.plans...)
			pay(t, e, 1, tt.paid)
			mustOK(t, e.StartMilestone(fl(11), e.Milestones[0].ID))
			did := deliver(t, e, 1)
			mustOK(t, e.AcceptDelivery(cl(30), did))
			if got := msStates(e); !slices.Equal(got, tt.ms) || e.State != tt.state {
				t.Fatalf("milestones %v, state %s; want %v, %s", got, e.State, tt.ms, tt.state)
			}
			d := e.Delivery(did)
			if d.State != accord.DeliveryAccepted || e.OriginalReleased(d) != tt.release {
				t.Errorf("delivery %s, released %v", d.State, e.OriginalReleased(d))
			}
			checkErr(t, e.AcceptDelivery(cl(31), did), accord.ECONFLICT, "delivery.not_reviewable")
			checkErr(t, e.RequestChanges(cl(31), did, "x", "y", time.Minute), accord.ECONFLICT, "delivery.not_reviewable")
		})
	}
}

func TestReviewUnknownDelivery(t *testing.T) {
	e := started(t)
	checkErr(t, e.AcceptDelivery(cl(30), "dlv_x"), accord.ENOTFOUND, "delivery.not_found")
	checkErr(t, e.RequestChanges(cl(30), "dlv_x", "x", "y", time.Minute), accord.ENOTFOUND, "delivery.not_found")
}

func TestRequestChanges(t *testing.T) {
	tests := []struct {
		name, wrong, desired string
		fields               []string
	}{
		{"both given", " The colours are off ", " Use the brand palette ", nil},
		{"nothing wrong said", "  ", "Use the brand palette", []string{"what_is_wrong=delivery.what_is_wrong"}},
		{"no desired result", "The colours are off", "", []string{"desired_result=delivery.desired_result"}},
		{"neither", "", "\n", []string{"what_is_wrong=delivery.what_is_wrong", "desired_result=delivery.desired_result"}},
		{"too long", strings.Repeat("x", 20001), "ok", []string{"what_is_wrong=field.too_long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := started(t)
			did := deliver(t, e, 1)
			err := e.RequestChanges(cl(30), did, tt.wrong, tt.desired, 20*time.Minute)
			if tt.fields != nil {
				checkErr(t, err, accord.EINVALID, "error.invalid", tt.fields...)
				if e.Milestones[0].State != handed || !e.CoolingOffUntil.IsZero() {
					t.Errorf("refused request changed the milestone to %s", e.Milestones[0].State)
				}
				return
			}
			mustOK(t, err)
			d, m := e.Delivery(did), e.Milestones[0]
			if d.State != accord.DeliveryChangesRequested || d.WhatIsWrong != "The colours are off" || d.DesiredResult != "Use the brand palette" {
				t.Errorf("delivery = %+v", d)
			}
			if m.State != sentBack || m.ChangesRequested != 1 || !e.CoolingOffUntil.Equal(t0.Add(50*time.Minute)) {
				t.Errorf("milestone %s, changes %d, cooling off until %v", m.State, m.ChangesRequested, e.CoolingOffUntil)
			}
		})
	}
}

// After changes are requested, work resumes without a new prepayment and the new delivery is reviewed.
func TestRework(t *testing.T) {
	e := started(t)
	id := e.Milestones[0].ID
	d1 := deliver(t, e, 1)
	mustOK(t, e.RequestChanges(cl(30), d1, "wrong", "right", 20*time.Minute))
	checkErr(t, e.RequestChanges(cl(31), d1, "wrong", "right", time.Minute), accord.ECONFLICT, "delivery.not_reviewable")
	checkErr(t, e.AcceptDelivery(cl(31), d1), accord.ECONFLICT, "delivery.not_reviewable")
	_, err := e.Deliver(fl(32), id, "", []accord.File{{Name: "b.png"}})
	checkErr(t, err, accord.ECONFLICT, "delivery.not_in_progress")

	mustOK(t, e.StartMilestone(fl(40), id))
	if e.Milestones[0].State != working {
		t.Fatalf("after rework start: %s", e.Milestones[0].State)
	}
	last := e.Uncommitted()[len(e.Uncommitted())-1]
	if s, ok := last.Data.(accord.MilestoneStarted); !ok || !s.Rework {
		t.Errorf("rework event = %#v", last.Data)
	}
	d2 := deliver(t, e, 1)
	mustOK(t, e.RequestChanges(cl(50), d2, "still wrong", "right", 20*time.Minute))
	mustOK(t, e.StartMilestone(fl(60), id))
	d3 := deliver(t, e, 1)
	mustOK(t, e.AcceptDelivery(cl(70), d3))
	if m := e.Milestones[0]; m.State != accepted || m.ChangesRequested != 2 {
		t.Errorf("milestone = %s with %d change requests", m.State, m.ChangesRequested)
	}
	if got := []string{e.Delivery(d1).State, e.Delivery(d2).State, e.Delivery(d3).State}; strings.Join(got, ",") !=
		"changes_requested,changes_requested,accepted" {
		t.Errorf("delivery states = %v", got)
	}
	if !e.CoolingOffUntil.Equal(t0.Add(70 * time.Minute)) {
		t.Errorf("cooling off until %v", e.CoolingOffUntil)
	}
}

func TestOriginalReleased(t *testing.T) {
	e := started(t)
	did := deliver(t, e, 1)
	d := func() *accord.Delivery { return e.Delivery(did) }
	steps := []struct {
		name string
		do   func()
		want bool
	}{
		{"delivered, prepaid", func() {}, false},
		{"accepted, prepaid", func() { mustOK(t, e.AcceptDelivery(cl(30), did)) }, false},
		{"one cent short", func() { pay(t, e, 1, "499.99") }, false},
		{"paid in full", func() { pay(t, e, 1, "0.01") }, true},
	}
	for _, s := range steps {
		s.do()
		if got := e.OriginalReleased(d()); got != s.want {
			t.Fatalf("%s: released = %v, want %v", s.name, got, s.want)
		}
	}
	if e.OriginalReleased(&accord.Delivery{MilestoneID: "ms_gone"}) {
		t.Error("a delivery of no milestone is released")
	}
}
