package main

import "testing"

func TestMaxFilesFlag(t *testing.T) {
	if c, err := parseServe(nil); err != nil || c.maxFiles != 100 {
		t.Fatalf("default --max-files: %d %v, want 100", c.maxFiles, err)
	}
	t.Setenv("ACCORD_MAX_FILES", "7")
	if c, _ := parseServe(nil); c.maxFiles != 7 {
		t.Fatalf("ACCORD_MAX_FILES=7 gave %d", c.maxFiles)
	}
	if c, _ := parseServe([]string{"--max-files", "3"}); c.maxFiles != 3 {
		t.Fatalf("--max-files 3 gave %d", c.maxFiles)
	}
	for _, bad := range []string{"0", "-1", "many"} {
		if _, err := parseServe([]string{"--max-files", bad}); err == nil {
			t.Errorf("--max-files %s accepted", bad)
		}
	}
}
