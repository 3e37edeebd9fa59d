package pdfrender

import (
	"context"
	"testing"
)

func BenchmarkRenderPage(b *testing.B) {
	r := newRenderer(b, Config{Workers: 1})
	pdf := sample(b)
	for b.Loop() {
		if _, err := r.Render(context.Background(), pdf, 0, 1, 1000); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	r := newRenderer(b, Config{Workers: 1})
	pdf := sample(b)
	for b.Loop() {
		if _, err := r.Pages(context.Background(), pdf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderDocument renders every page of the sample report in one instance.
func BenchmarkRenderDocument(b *testing.B) {
	r := newRenderer(b, Config{Workers: 1})
	pdf := sample(b)
	for b.Loop() {
		if _, err := r.Render(context.Background(), pdf, 0, 20, 1000); err != nil {
			b.Fatal(err)
		}
	}
}
