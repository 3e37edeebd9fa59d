package main

import (
	"testing"

	"github.com/accordapp/accord/internal/preview"
)

func TestPreviewMemoryFlag(t *testing.T) {
	if c, err := parseServe(nil); err != nil || c.previewMemory != preview.DefaultMemory {
		t.Errorf("default preview memory %d (err %v), want %d", c.previewMemory, err, preview.DefaultMemory)
	}
	if c, err := parseServe([]string{"--preview-memory", "1048576"}); err != nil || c.previewMemory != 1<<20 {
		t.Errorf("--preview-memory 1048576: %d, %v", c.previewMemory, err)
	}
	t.Setenv("ACCORD_PREVIEW_MEMORY", "2097152")
	if c, err := parseServe(nil); err != nil || c.previewMemory != 2<<20 {
		t.Errorf("ACCORD_PREVIEW_MEMORY=2097152: %d, %v", c.previewMemory, err)
	}
	for _, bad := range []string{"0", "-1", "lots"} {
		if _, err := parseServe([]string{"--preview-memory", bad}); err == nil {
			t.Errorf("--preview-memory %s accepted", bad)
		}
	}
}
