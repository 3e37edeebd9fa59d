package screen

import "testing"

// Texts like those a client writes most days: nothing to flag, in each language, short and long.
var everyday = []string{
	"Thanks, the second concept is the one. Could the blue be a little darker?",
	"Спасибо, второй вариант подходит. Можно сделать синий чуть темнее? И ещё: логотип на визитке должен быть немного меньше, а шрифт названия компании — тот же, что на сайте.",
	"Благодаря, вторият вариант е най-добър. Може ли синьото да е малко по-тъмно? Ще пратя текстовете за брошурата до петък, заедно със снимките от офиса.",
}

func BenchmarkScan(b *testing.B) {
	n := 0
	for _, t := range everyday {
		n += len(t)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, t := range everyday {
			if codes := Scan(t); len(codes) != 0 {
				b.Fatalf("Scan(%q) = %v, want no red flags", t, codes)
			}
		}
	}
}
