package accord

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
)

// Page sizes: what a list gives when the reader names no size, and the most it gives at once.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// Cursor marks where a page of a list ended: the sort key of its last item, so that the next
// page starts right after it however many items were added or removed meanwhile. Key or Text
// is the list's order (a time in microseconds or a sequence number; a name), ID breaks ties.
type Cursor struct {
	Key  int64  `json:"k,omitempty"`
	Text string `json:"t,omitempty"`
	ID   string `json:"i,omitempty"`
}

// Page asks for one page of a list: up to Size items after After (the start when nil); with
// Newest the list is read from its end, newest first.
type Page struct {
	After  *Cursor
	Size   int
	Newest bool
}

// String is the cursor as a reader carries it: opaque and safe in a URL.
func (c Cursor) String() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParsePage reads a page asked for by a cursor and a size as a reader gives them ("" for
// none); a cursor this server did not make, or a size out of range, is an invalid-input error
// naming the field.
func ParsePage(cursor, size string, defaultSize int) (Page, error) {
	p := Page{Size: defaultSize}
	var v Invalid
	if size != "" {
		n, err := strconv.Atoi(size)
		if err != nil || n < 1 || n > MaxPageSize {
			v.Add("limit", "page.bad_limit", "max", MaxPageSize)
		}
		p.Size = n
	}
	if cursor != "" {
		c, ok := parseCursor(cursor)
		if !ok {
			v.Add("cursor", "page.bad_cursor")
		}
		p.After = &c
	}
	return p, v.Err()
}

func parseCursor(s string) (Cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, false
	}
	var c Cursor
	if len(b) > 1000 || json.Unmarshal(b, &c) != nil || !PlainText(c.Text) || !PlainText(c.ID) {
		return Cursor{}, false
	}
	return c, true
}

// Paged is one page of a list: its items, the cursor of the next page (nil on the last), and
// how many items the whole list holds when the store keeps that count (-1 when it does not).
type Paged[T any] struct {
	Items []T
	Next  *Cursor
	Total int
}

// PageOf cuts a page from items read one more than asked (the extra one says another page
// follows), with key giving each item's cursor.
func PageOf[T any](items []T, p Page, key func(T) Cursor) Paged[T] {
	out := Paged[T]{Items: items, Total: -1}
	if len(items) > p.Size {
		out.Items = items[:p.Size]
		c := key(out.Items[p.Size-1])
		out.Next = &c
	}
	return out
}
