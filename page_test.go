package accord

import (
	"errors"
	"testing"
)

func TestParsePage(t *testing.T) {
	c := Cursor{Key: 1733000000123456, Text: "Борис «B»", ID: "msg_x.y"}
	p, err := ParsePage(c.String(), "7", 50)
	if err != nil || p.Size != 7 || p.After == nil || *p.After != c {
		t.Fatalf("a cursor made here, read back: %+v, %v; want %+v of 7", p, err, c)
	}
	if p, err := ParsePage("", "", 50); err != nil || p.Size != 50 || p.After != nil {
		t.Errorf("nothing asked: %+v, %v; want the first page of 50", p, err)
	}
	for _, tc := range []struct{ cursor, size, field string }{
		{"not base64!", "", "cursor"},
		{"bm90IGpzb24", "", "cursor"}, // "not json"
		{Cursor{ID: "a\x00b"}.String(), "", "cursor"},
		{"", "0", "limit"},
		{"", "-3", "limit"},
		{"", "501", "limit"},
		{"", "ten", "limit"},
	} {
		_, err := ParsePage(tc.cursor, tc.size, 50)
		var e *Error
		if !errors.As(err, &e) || e.Code != EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != tc.field {
			t.Errorf("ParsePage(%q, %q) = %v; want invalid %s", tc.cursor, tc.size, err, tc.field)
		}
	}
}

func TestPageOf(t *testing.T) {
	key := func(n int) Cursor { return Cursor{Key: int64(n)} }
	got := PageOf([]int{1, 2, 3, 4}, Page{Size: 3}, key)
	if len(got.Items) != 3 || got.Next == nil || got.Next.Key != 3 || got.Total != -1 {
		t.Errorf("one more than asked: %+v; want 3 items and a next page after 3", got)
	}
	if got := PageOf([]int{1, 2, 3}, Page{Size: 3}, key); got.Next != nil || len(got.Items) != 3 {
		t.Errorf("exactly a page: %+v; want no next page", got)
	}
}
