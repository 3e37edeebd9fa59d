package accord_test

import (
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

const coolingOff = 20 * time.Minute

// sentBackAt returns an engagement whose client requested changes min minutes after t0:
// the cooling-off runs until min+20.
func sentBackAt(t *testing.T, min int) *accord.Engagement {
	t.Helper()
	e := started(t)
	did := deliver(t, e, 1)
	mustOK(t, e.RequestChanges(cl(min), did, "wrong", "right", coolingOff))
	return e
}

func TestSendMessage(t *testing.T) {
	tests := []struct {
		name     string
		sentBack bool // changes requested at minute 30
		cmd      accord.Cmd
		held     bool
	}{
		{"freelancer, nothing sent back", false, fl(31), false},
		{"freelancer, just after changes were requested", true, fl(30), true},
		{"freelancer, within the cooling-off", true, fl(49), true},
		{"freelancer, as the cooling-off ends", true, fl(50), false},
		{"freelancer, after the cooling-off", true, fl(51), false},
		{"client, within the cooling-off", true, cl(35), false},
		{"system, within the cooling-off", true, accord.Cmd{Now: t0.Add(35 * time.Minute), By: accord.Actor{Kind: "system", ID: "jobs"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := started(t)
			if tt.sentBack {
				e = sentBackAt(t, 30)
			}
			n := len(e.Uncommitted())
			m, err := e.SendMessage(tt.cmd, "  Thanks, I will look at it.  ", "email", coolingOff)
			mustOK(t, err)
			want := tt.cmd.Now
			if tt.held {
				want = tt.cmd.Now.Add(coolingOff)
			}
			if !m.SendAt.Equal(want) || m.Held(tt.cmd.Now) != tt.held || !m.At.Equal(tt.cmd.Now) {
				t.Errorf("send at %v (held %v), want %v (held %v)", m.SendAt, m.Held(tt.cmd.Now), want, tt.held)
			}
			if m.Body != "Thanks, I will look at it." || m.Author != tt.cmd.By.Kind || m.AuthorName != tt.cmd.By.Name ||
				m.EngagementID != e.ID || m.Channel != "email" || !strings.HasPrefix(m.ID, "msg_") {
				t.Errorf("message = %+v", m)
			}
			evs := e.Uncommitted()[n:]
			if len(evs) != 1 {
				t.Fatalf("%d events, want 1", len(evs))
			}
			d, ok := evs[0].Data.(accord.MessageSent)
			if !ok || d.MessageID != m.ID || !d.SendAt.Equal(m.SendAt) || d.Body != m.Body || evs[0].Actor != tt.cmd.By.String() {
				t.Errorf("event = %s", evs[0].Body)
			}
		})
	}
}

func TestSendMessageInvalid(t *testing.T) {
	e := started(t)
	for body, key := range map[string]string{"": "field.required_short", "  \n ": "field.required_short",
		strings.Repeat("ы", 20001): "field.too_long", "hi\x00": "field.text"} {
		n := len(e.Uncommitted())
		m, err := e.SendMessage(fl(1), body, "email", coolingOff)
		checkErr(t, err, accord.EINVALID, "error.invalid", "body="+key)
		if m != nil || len(e.Uncommitted()) != n {
			t.Errorf("refused message left a trace")
		}
	}
}

func TestReleaseMessage(t *testing.T) {
	e := sentBackAt(t, 30)
	held, err := e.SendMessage(fl(35), "Let me explain", "email", coolingOff)
	mustOK(t, err)
	heldUntil := held.SendAt

	tests := []struct {
		name string
		cmd  accord.Cmd
		code string
	}{
		{"release a held message", fl(40), ""},
		{"release it again", fl(41), accord.ECONFLICT},
	}
	for _, tt := range tests {
		n := len(e.Uncommitted())
		err := e.ReleaseMessage(tt.cmd, held)
		checkErrCode(t, tt.name, err, tt.code, map[string]string{"": "", accord.ECONFLICT: "message.not_held"}[tt.code])
		if tt.code != "" {
			if len(e.Uncommitted()) != n {
				t.Errorf("%s: refused release recorded an event", tt.name)
			}
			continue
		}
		if !held.SendAt.Equal(tt.cmd.Now) || held.Held(tt.cmd.Now) {
			t.Errorf("%s: send at %v, want %v", tt.name, held.SendAt, tt.cmd.Now)
		}
		evs := e.Uncommitted()[n:]
		if len(evs) != 1 || evs[0].Type != "message.released" {
			t.Fatalf("%s: events %v", tt.name, evs)
		}
		if d := evs[0].Data.(accord.MessageReleased); d.MessageID != held.ID || !d.HeldUntil.Equal(heldUntil) {
			t.Errorf("%s: released = %+v", tt.name, d)
		}
	}

	free, err := e.SendMessage(cl(42), "Fine", "portal", coolingOff)
	mustOK(t, err)
	checkErr(t, e.ReleaseMessage(fl(42), free), accord.ECONFLICT, "message.not_held")
	// A hold that has run out by itself is not held either.
	late, err := e.SendMessage(fl(45), "One more", "email", coolingOff)
	mustOK(t, err)
	checkErr(t, e.ReleaseMessage(fl(65), late), accord.ECONFLICT, "message.not_held")
}

func TestMessageHeld(t *testing.T) {
	m := accord.Message{SendAt: t0}
	for _, tt := range []struct {
		now  time.Time
		want bool
	}{{t0.Add(-time.Second), true}, {t0, false}, {t0.Add(time.Second), false}} {
		if got := m.Held(tt.now); got != tt.want {
			t.Errorf("Held(%v) = %v, want %v", tt.now, got, tt.want)
		}
	}
}
