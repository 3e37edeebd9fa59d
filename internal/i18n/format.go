package i18n

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/accordapp/accord"
	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Locale is how one person reads: a language of the catalog and the time zone they live in.
type Locale struct {
	Lang string
	Zone *time.Location
}

// zone returns the locale's time zone, UTC when none is set.
func (l Locale) zone() *time.Location {
	if l.Zone == nil {
		return time.UTC
	}
	return l.Zone
}

// numberForm is how a language writes numbers, after CLDR's "latn" number symbols.
type numberForm struct {
	decimal, group string
	minGrouping    int  // digits the integer part needs before it is grouped at all (bg: 5)
	symbolFirst    bool // "€1,250.00" rather than "1 250,00 €"
}

const nbsp = "\u00a0"

var numberForms = map[string]numberForm{
	"en": {decimal: ".", group: ",", minGrouping: 4, symbolFirst: true},
	"ru": {decimal: ",", group: nbsp, minGrouping: 4},
	"bg": {decimal: ",", group: nbsp, minGrouping: 5},
}

func formOf(lang string) numberForm {
	if f, ok := numberForms[lang]; ok {
		return f
	}
	return numberForms["en"]
}

// FormatMoney writes an amount as CLDR's standard currency format of lang does:
// €1,250.00 (en), 1 250,00 € (ru), 1250,00 € and 12 500,00 € (bg).
func FormatMoney(lang string, m accord.Money) string {
	f := formOf(lang)
	num := m.Decimal()
	neg := strings.HasPrefix(num, "-")
	num = strings.TrimPrefix(num, "-")
	whole, frac, _ := strings.Cut(num, ".")
	num = group(whole, f)
	if frac != "" {
		num += f.decimal + frac
	}
	sym := currencySymbol(lang, m.Currency)
	if sym == "" { // no currency: the number alone
		return num
	}
	var s string
	switch {
	case f.symbolFirst && isLetter(sym[len(sym)-1]):
		s = sym + nbsp + num // CLDR currency spacing: "BGN 1,250.00"
	case f.symbolFirst:
		s = sym + num
	default:
		s = num + nbsp + sym
	}
	if neg {
		s = "-" + s
	}
	return s
}

// FormatNumber writes a whole number with lang's grouping.
func FormatNumber(lang string, n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + group(s[1:], formOf(lang))
	}
	return group(s, formOf(lang))
}

func group(whole string, f numberForm) string {
	if len(whole) < f.minGrouping {
		return whole
	}
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(f.group)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isLetter(b byte) bool { return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' }

var symbols sync.Map // lang+code → symbol

// currencySymbol returns CLDR's symbol for code in lang (golang.org/x/text carries CLDR's data),
// or the ISO code itself where CLDR has none.
func currencySymbol(lang, code string) string {
	if s, ok := symbols.Load(lang + code); ok {
		return s.(string)
	}
	sym := code
	if u, err := currency.ParseISO(code); err == nil {
		tag, _ := language.Parse(lang)
		out := message.NewPrinter(tag).Sprint(currency.Symbol(u.Amount(0)))
		if i := strings.LastIndexAny(out, " "+nbsp); i > 0 {
			sym = out[:i]
		}
	}
	symbols.Store(lang+code, sym)
	return sym
}

// Month names in the form a date takes (genitive in ru and bg: "5 декабря").
var months = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"ru": {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
	"bg": {"януари", "февруари", "март", "април", "май", "юни", "юли", "август", "септември", "октомври", "ноември", "декември"},
}

// shortMonths name a month on its own, short, as a chart's axis does: "Dec 26", "дек 26".
var shortMonths = map[string][12]string{
	"en": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	"ru": {"янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"},
	"bg": {"яну", "фев", "мар", "апр", "май", "юни", "юли", "авг", "сеп", "окт", "ное", "дек"},
}

// FormatMonth names a month given as YYYY-MM shortly, with its year's last two digits:
// "Dec 26", "дек 26"; anything else is written as it is.
func FormatMonth(lang, month string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	ms, ok := shortMonths[lang]
	if !ok {
		ms = shortMonths["en"]
	}
	return ms[t.Month()-1] + " " + t.Format("06")
}

// dateSuffix is what follows the year in a long date: "5 декабря 2026 г.".
var dateSuffix = map[string]string{"ru": nbsp + "г.", "bg": nbsp + "г."}

// FormatDate writes a calendar date as lang writes it in full: 5 December 2026, 5 декабря 2026 г.,
// 5 декември 2026 г. A date that is not valid is written as it is.
func FormatDate(lang string, d accord.Date) string {
	t, ok := d.Time()
	if !ok {
		return string(d)
	}
	return longDate(lang, t)
}

func longDate(lang string, t time.Time) string {
	ms, ok := months[lang]
	if !ok {
		lang, ms = "en", months["en"]
	}
	return strconv.Itoa(t.Day()) + " " + ms[t.Month()-1] + " " + strconv.Itoa(t.Year()) + dateSuffix[lang]
}

// Time writes an instant in the locale's zone, with the zone named: 5 December 2026, 14:05 (Europe/Sofia).
func (l Locale) Time(t time.Time) string {
	t = t.In(l.zone())
	return longDate(l.Lang, t) + ", " + t.Format("15:04") + " (" + l.zone().String() + ")"
}

// ParseAmount reads an amount as a person of lang types it, "1 250,50" or "1,250.50", and
// returns it in the form accord.ParseMoney reads ("1250.50"). In ru and bg a comma is the
// decimal mark (a dot is taken as one too); in en a comma only groups.
func ParseAmount(lang, s string) string {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\'' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if formOf(lang).decimal == "," {
		return strings.Replace(s, ",", ".", 1)
	}
	return strings.ReplaceAll(s, ",", "")
}
