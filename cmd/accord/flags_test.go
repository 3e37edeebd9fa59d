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

func TestMaxFileSizeFlag(t *testing.T) {
	if c, err := parseServe(nil); err != nil || c.maxFileSize != 50<<20 {
		t.Fatalf("default --max-file-size: %d %v, want 50 MiB", c.maxFileSize, err)
	}
	if c, _ := parseServe([]string{"--max-file-size", "1000"}); c.maxFileSize != 1000 {
		t.Fatalf("--max-file-size 1000 gave %d", c.maxFileSize)
	}
	for _, bad := range []string{"0", "-5", "big"} {
		if _, err := parseServe([]string{"--max-file-size", bad}); err == nil {
			t.Errorf("--max-file-size %s accepted", bad)
		}
	}
}
