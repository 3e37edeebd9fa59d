package app_test

import (
	"testing"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
)

// Every kind of event has words on the timeline: a new one without them would show its code.
func TestEveryEventTypeIsWorded(t *testing.T) {
	c := i18n.New()
	types := accord.EventTypes()
	if len(types) < 30 {
		t.Fatalf("only %d event types are registered", len(types))
	}
	for _, typ := range types {
		if !c.Has("event." + typ) {
			t.Errorf("event %s has no words in the catalog (event.%s)", typ, typ)
		}
	}
}
