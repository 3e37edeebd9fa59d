package server

import (
	"html/template"
	"strconv"
	"sync"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
)

// timelines keeps the engagement page's rendered timelines. A page of the record is the same
// for as long as the engagement's seq stands, so a view keyed by engagement, seq, page and
// locale is reused until the next event; every instance checks the seq it reads itself.
type timelines struct {
	mu    sync.Mutex
	m     map[string]timelineView
	order []string // oldest first, for eviction
}

// timelineView is a rendered page of the timeline and its pager.
type timelineView struct {
	HTML  template.HTML
	Pages pager
}

// timelinesKept bounds the timelines kept: each is a few dozen kilobytes.
const timelinesKept = 256

func timelineKey(e *accord.Engagement, events *accord.Cursor, l i18n.Locale) string {
	cursor := ""
	if events != nil {
		cursor = events.String()
	}
	zone := ""
	if l.Zone != nil {
		zone = l.Zone.String()
	}
	return e.ID + "\x00" + strconv.FormatInt(e.Seq, 10) + "\x00" + cursor + "\x00" + l.Lang + "\x00" + zone
}

func (t *timelines) get(key string) (timelineView, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v, ok := t.m[key]
	return v, ok
}

func (t *timelines) put(key string, v timelineView) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[string]timelineView{}
	}
	if _, ok := t.m[key]; ok {
		return
	}
	if len(t.order) >= timelinesKept {
		delete(t.m, t.order[0])
		t.order = t.order[1:]
	}
	t.m[key] = v
	t.order = append(t.order, key)
}

// citesEvents reports whether the engagement page offers a form that cites the record's
// entries (a milestone sent back with no cause given yet): that form needs the entries
// themselves, not only their rendering.
func citesEvents(e *accord.Engagement) bool {
	for _, m := range e.Milestones {
		if m.State == accord.MilestoneChangesRequested && m.Cause == nil {
			return true
		}
	}
	return false
}
