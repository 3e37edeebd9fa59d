package i18n

import (
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// The expected forms are CLDR's (v46 "latn" symbols, standard currency pattern, long date),
// written with the no-break spaces CLDR uses.
func TestFormatMoneyAsCLDR(t *testing.T) {
	cases := []struct {
		lang   string
		amount int64
		cur    string
		want   string
	}{
		{"en", 125000, "EUR", "€1,250.00"},
		{"ru", 125000, "EUR", "1 250,00 €"},
		{"bg", 125000, "EUR", "1250,00 €"},
		{"bg", 1250000, "EUR", "12 500,00 €"},
		{"en", 125000, "USD", "$1,250.00"},
		{"ru", 125000, "USD", "1 250,00 $"},
		{"bg", 125000, "USD", "1250,00 щ.д."},
		{"en", 125000, "RUB", "RUB 1,250.00"},
		{"ru", 125000, "RUB", "1 250,00 ₽"},
		{"bg", 125000, "BGN", "1250,00 лв."},
		{"en", 125000, "BGN", "BGN 1,250.00"},
		{"en", 125000, "GBP", "£1,250.00"},
		{"ru", 125000, "GBP", "1 250,00 £"},
		{"bg", 125000, "GBP", "1250,00 GBP"},
		{"en", 1250, "JPY", "¥1,250"},
		{"en", 123456789, "EUR", "€1,234,567.89"},
		{"ru", 123456789, "EUR", "1 234 567,89 €"},
		{"bg", 123456789, "EUR", "1 234 567,89 €"},
		{"en", 5, "EUR", "€0.05"},
		{"ru", -50000, "EUR", "-500,00 €"},
		{"en", 1250500, "KWD", "KWD 1,250.500"},
		{"ru", 100, "CHF", "1,00 CHF"},
	}
	for _, tc := range cases {
		got := FormatMoney(tc.lang, accord.Money{Amount: tc.amount, Currency: tc.cur})
		want := strings.ReplaceAll(tc.want, " ", "\u00a0")
		if got != want {
			t.Errorf("FormatMoney(%s, %d %s) = %q, want %q", tc.lang, tc.amount, tc.cur, got, want)
		}
	}
}

func TestFormatDateAndTime(t *testing.T) {
	for lang, want := range map[string]string{"en": "5 December 2026", "ru": "5 декабря 2026 г.", "bg": "5 декември 2026 г."} {
		if got := FormatDate(lang, "2026-12-05"); got != strings.ReplaceAll(want, " г.", "\u00a0г.") {
			t.Errorf("FormatDate(%s) = %q, want %q", lang, got, want)
		}
	}
	if got := FormatDate("ru", "2026-02-31"); got != "2026-02-31" {
		t.Errorf("an invalid date is written as it is, got %q", got)
	}
	sofia, _ := time.LoadLocation("Europe/Sofia")
	at := time.Date(2026, 12, 31, 22, 30, 0, 0, time.UTC) // already 1 January in Sofia
	if got, want := (Locale{"bg", sofia}).Time(at), "1 януари 2027\u00a0г., 00:30 (Europe/Sofia)"; got != want {
		t.Errorf("Time in Sofia = %q, want %q", got, want)
	}
	if got, want := (Locale{Lang: "en"}).Time(at), "31 December 2026, 22:30 (UTC)"; got != want {
		t.Errorf("Time without a zone = %q, want %q", got, want)
	}
}

func TestSizes(t *testing.T) {
	c := New()
	cases := []struct {
		lang string
		n    int64
		want string
	}{
		{"en", 1, "1 byte"}, {"en", 999, "999 bytes"}, {"en", 1300000, "1.3 MB"}, {"en", 2000000, "2 MB"},
		{"en", 1500, "1.5 kB"}, {"en", 999999, "1 MB"}, {"en", 4200000000, "4.2 GB"},
	}
	for _, tc := range cases {
		if got := c.Size(tc.lang, tc.n); got != tc.want {
			t.Errorf("Size(%s, %d) = %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
	// CLDR's short digital units: ru кБ/МБ, bg kB/MB, with the decimal comma.
	for _, tc := range []struct{ lang, want string }{{"ru", "1,3 МБ"}, {"bg", "1,3 MB"}, {"ru", "55,1 кБ"}, {"bg", "55,1 kB"}} {
		n := int64(1300000)
		if strings.Contains(tc.want, "55") {
			n = 55100
		}
		if got := c.Size(tc.lang, n); got != tc.want {
			t.Errorf("Size(%s, %d) = %q, want %q", tc.lang, n, got, tc.want)
		}
	}
}

func TestParseAmountAsTyped(t *testing.T) {
	cases := []struct{ lang, in, want string }{
		{"ru", "1 250,50", "1250.50"}, {"ru", "1\u00a0250,50", "1250.50"}, {"ru", "1250.50", "1250.50"},
		{"bg", "12 500,00", "12500.00"}, {"bg", "500", "500"},
		{"en", "1,250.50", "1250.50"}, {"en", "1250.5", "1250.5"},
		{"ru", "тысяча", "тысяча"}, {"ru", "1,2,3", "1.2,3"},
	}
	for _, tc := range cases {
		if got := ParseAmount(tc.lang, tc.in); got != tc.want {
			t.Errorf("ParseAmount(%s, %q) = %q, want %q", tc.lang, tc.in, got, tc.want)
		}
	}
}

// An amount without a currency (so without minor units) is written as its number alone, never a crash.
func TestFormatMoneyWithoutCurrency(t *testing.T) {
	for lang, want := range map[string]string{"en": "125,000", "ru": "125\u00a0000", "bg": "125\u00a0000"} {
		if got := FormatMoney(lang, accord.Money{Amount: 125000}); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
}

func TestFormatMonth(t *testing.T) {
	for _, c := range []struct{ lang, month, want string }{
		{"en", "2026-12", "Dec 26"}, {"ru", "2027-01", "янв 27"}, {"bg", "2026-06", "юни 26"}, {"de", "2026-03", "Mar 26"}, {"en", "soon", "soon"},
	} {
		if got := FormatMonth(c.lang, c.month); got != c.want {
			t.Errorf("FormatMonth(%s, %s) = %q, want %q", c.lang, c.month, got, c.want)
		}
	}
}
