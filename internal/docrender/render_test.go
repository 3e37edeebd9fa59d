package docrender

import (
	"bytes"
	"context"
	"errors"
	"image"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// darkPixels counts the pixels of img darker than mid grey within r.
func darkPixels(img *image.Gray, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.GrayAt(x, y).Y < 128 {
				n++
			}
		}
	}
	return n
}

func paragraphs(n int, text string) Doc {
	d := Doc{Blocks: make([]Block, n)}
	for i := range d.Blocks {
		d.Blocks[i] = Block{Kind: Paragraph, Runs: []Run{{Text: text}}}
	}
	return d
}

const lorem = "Лорем ипсум долор сит амет, консектетур адиписцинг елит. Щастливите хора живеят тук. The quick brown fox jumps over the lazy dog. "

func render(t *testing.T, d Doc, opt Options) ([]*image.Gray, bool) {
	t.Helper()
	pages, truncated, err := Render(context.Background(), d, opt)
	if err != nil {
		t.Fatal(err)
	}
	return pages, truncated
}

func TestRenderLongText(t *testing.T) {
	src := "# Заглавие\n\n" + strings.Repeat(lorem+"**"+lorem+"**\n\n- "+lorem+"\n\n", 20)
	d, err := extractBytes([]byte(src), KindMarkdown, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	pages, truncated := render(t, d, Options{})
	if len(pages) < 2 || truncated {
		t.Fatalf("%d pages, truncated %v; want more than one, whole", len(pages), truncated)
	}
	first := pages[0]
	if first.Rect != image.Rect(0, 0, 794, 1123) {
		t.Errorf("page is %v, want 794x1123", first.Rect)
	}
	if n := darkPixels(first, first.Rect); n < 10_000 {
		t.Errorf("first page has %d dark pixels", n)
	}
	margin := image.Rect(0, 0, 70, first.Rect.Dy())
	if n := darkPixels(first, margin); n != 0 {
		t.Errorf("%d dark pixels in the left margin", n)
	}
}

func TestRenderCyrillic(t *testing.T) {
	for name, ttf := range map[string][]byte{"regular": goregular.TTF, "bold": gobold.TTF} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			t.Fatal(err)
		}
		var buf sfnt.Buffer
		for _, r := range "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя•" {
			if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
				t.Errorf("Go %s has no glyph for %q", name, r)
			}
		}
	}
	w, err := newWeights(15, false)
	if err != nil {
		t.Fatal(err)
	}
	if adv, ok := w[0].GlyphAdvance('Ж'); !ok || adv <= 0 {
		t.Errorf("advance of Ж: %v %v", adv, ok)
	}
	pages, _ := render(t, Doc{Blocks: []Block{{Runs: []Run{{Text: "Жж"}}}}}, Options{})
	if n := darkPixels(pages[0], pages[0].Rect); n < 20 {
		t.Errorf("Жж drew %d dark pixels", n)
	}
}

func TestRenderHoldsNoText(t *testing.T) {
	secret := "secret-text-Секрет"
	pages, _ := render(t, paragraphs(3, secret), Options{})
	var img image.Image = pages[0]
	if _, ok := img.(*image.Gray); !ok {
		t.Fatalf("page is a %T", img)
	}
	for _, p := range pages {
		if bytes.Contains(p.Pix, []byte(secret)) || bytes.Contains(p.Pix, []byte("Секрет")) {
			t.Error("the page's pixels hold the text")
		}
	}
}

func TestRenderBreaksLongWords(t *testing.T) {
	pages, _ := render(t, Doc{Blocks: []Block{{Runs: []Run{{Text: strings.Repeat("Щ", 3000)}}}}}, Options{Width: 400})
	p := pages[0]
	if p.Rect.Dx() != 400 || p.Rect.Dy() != 566 {
		t.Errorf("page is %v", p.Rect)
	}
	margin := 38
	if n := darkPixels(p, image.Rect(p.Rect.Dx()-margin+2, 0, p.Rect.Dx(), p.Rect.Dy())); n != 0 {
		t.Errorf("%d dark pixels in the right margin", n)
	}
	if n := darkPixels(p, image.Rect(0, 0, p.Rect.Dx(), p.Rect.Dy()/2)); n < 10_000 {
		t.Errorf("only %d dark pixels: the word was not broken into lines", n)
	}
}

func TestRenderTruncatesAtMaxPages(t *testing.T) {
	d := paragraphs(10_000*40, "строка") // some 10,000 pages
	start := time.Now()
	pages, truncated := render(t, d, Options{})
	if len(pages) != DefaultMaxPages || !truncated {
		t.Errorf("%d pages, truncated %v; want %d, truncated", len(pages), truncated, DefaultMaxPages)
	}
	t.Logf("%d pages in %v", len(pages), time.Since(start))
	if pages, truncated := render(t, paragraphs(200, "x"), Options{MaxPages: 2}); len(pages) != 2 || !truncated {
		t.Errorf("MaxPages 2: %d pages, truncated %v", len(pages), truncated)
	}
}

func TestRenderSaysExtractTruncated(t *testing.T) {
	d := paragraphs(1, "x")
	d.Truncated = true
	if _, truncated := render(t, d, Options{}); !truncated {
		t.Error("not truncated")
	}
}

func TestRenderEmpty(t *testing.T) {
	pages, _ := render(t, Doc{}, Options{})
	if len(pages) != 1 || darkPixels(pages[0], pages[0].Rect) != 0 {
		t.Errorf("%d pages", len(pages))
	}
}

func TestRenderStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if pages, _, err := Render(ctx, paragraphs(10, lorem), Options{}); !errors.Is(err, context.Canceled) || pages != nil {
		t.Errorf("canceled: %d pages, %v", len(pages), err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err := Render(ctx, paragraphs(100_000, lorem), Options{MaxPages: 100})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("stopped %v after a 20 ms deadline", d)
	}
}

func BenchmarkRenderPage(b *testing.B) {
	d := paragraphs(400, lorem+lorem)
	pages := 0
	for b.Loop() {
		p, _, err := Render(context.Background(), d, Options{MaxPages: 10})
		if err != nil {
			b.Fatal(err)
		}
		pages += len(p)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(pages), "ms/page")
}

func TestRenderConcurrently(t *testing.T) {
	d := paragraphs(60, lorem)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			_, _, err := Render(context.Background(), d, Options{MaxPages: 2})
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
