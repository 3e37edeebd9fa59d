package docrender

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// Extract reads the text of a document of size bytes and the given kind (KindText,
// KindMarkdown, KindDOCX or KindODT) into blocks, within lim. A document that exceeds a limit
// fails with ErrTooLarge, except that text beyond lim.MaxRunes is dropped and the Doc marked
// Truncated; one that cannot be read as its kind fails with ErrMalformed.
func Extract(r io.ReaderAt, size int64, kind string, lim Limits) (Doc, error) {
	lim = lim.withDefaults()
	if size > lim.MaxInputBytes {
		return Doc{}, fmt.Errorf("%w: %d MiB, over the %d MiB limit", ErrTooLarge, size>>20, lim.MaxInputBytes>>20)
	}
	if size < 0 {
		return Doc{}, fmt.Errorf("%w: negative size %d", ErrMalformed, size)
	}
	b := newBuilder(lim)
	if err := extract(r, size, kind, lim, b); err != nil {
		return Doc{}, err
	}
	return b.finish(), nil
}

func extract(r io.ReaderAt, size int64, kind string, lim Limits, b *builder) error {
	switch kind {
	case KindText, KindMarkdown:
		return extractText(r, size, kind, lim, b)
	case KindDOCX, KindODT:
		zr, err := openZip(r, size, kind)
		if err != nil {
			return err
		}
		if kind == KindDOCX {
			return readDOCX(zr, lim, b)
		}
		return readODT(zr, lim, b)
	}
	return fmt.Errorf("%w: %q", ErrUnsupported, kind)
}

// extractText reads no more of a text than can hold lim.MaxRunes characters.
func extractText(r io.ReaderAt, size int64, kind string, lim Limits, b *builder) error {
	n := min(size, int64(lim.MaxRunes)*utf8.UTFMax+utf8.UTFMax)
	data := make([]byte, n)
	if _, err := io.ReadFull(io.NewSectionReader(r, 0, n), data); err != nil {
		return fmt.Errorf("docrender: reading the document: %w", err)
	}
	s := decodeText(data, n < size)
	if kind == KindMarkdown {
		readMarkdown(s, b)
	} else {
		readText(s, b)
	}
	if n < size {
		b.doc.Truncated = true
	}
	return nil
}
