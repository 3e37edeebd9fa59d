package accord_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/accordapp/accord"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in, cur string
		want    int64
		ok      bool
	}{
		{"1250", "EUR", 125000, true},
		{"1250.5", "EUR", 125050, true},
		{"1250.50", "EUR", 125050, true},
		{"0.01", "EUR", 1, true},
		{"0", "EUR", 0, true},
		{" 12.30 ", "EUR", 1230, true},
		{"0.001", "EUR", 0, false},
		{"-1", "EUR", 0, false},
		{"+1", "EUR", 0, false},
		{"1,5", "EUR", 0, false},
		{"1.2.3", "EUR", 0, false},
		{".5", "EUR", 0, false},
		{"", "EUR", 0, false},
		{"abc", "EUR", 0, false},
		{"1e3", "EUR", 0, false},
		{"1 000", "EUR", 0, false},
		{"١٢", "EUR", 0, false},
		{"9999999999999.99", "EUR", 999999999999999, true},
		{"99999999999999", "EUR", 0, false},
		{"99999999999999999999999", "EUR", 0, false},
		{"1250", "JPY", 1250, true},
		{"1250.5", "JPY", 0, false},
		{"1250.0", "JPY", 0, false},
		{"1250", "KWD", 1250000, true},
		{"1250.5", "KWD", 1250500, true},
		{"0.001", "KWD", 1, true},
		{"0.0001", "KWD", 0, false},
		{"9999999999999.999", "KWD", 9999999999999999, true},
		{"1", "XXX", 0, false},
		{"1", "eur", 0, false},
		{"1", "", 0, false},
	}
	for _, tt := range tests {
		m, err := accord.ParseMoney(tt.in, tt.cur)
		if tt.ok != (err == nil) {
			t.Errorf("ParseMoney(%q, %s) error = %v, want ok %v", tt.in, tt.cur, err, tt.ok)
			continue
		}
		if tt.ok && (m.Amount != tt.want || m.Currency != tt.cur) {
			t.Errorf("ParseMoney(%q, %s) = %+v, want %d %s", tt.in, tt.cur, m, tt.want, tt.cur)
		}
	}
}

func TestMoneyDecimal(t *testing.T) {
	tests := []struct {
		m         accord.Money
		dec, text string
	}{
		{accord.Money{Amount: 125000, Currency: "EUR"}, "1250.00", "1250.00 EUR"},
		{accord.Money{Amount: 125050, Currency: "EUR"}, "1250.50", "1250.50 EUR"},
		{accord.Money{Amount: 5, Currency: "EUR"}, "0.05", "0.05 EUR"},
		{accord.Money{Amount: 0, Currency: "EUR"}, "0.00", "0.00 EUR"},
		{accord.Money{Amount: -5, Currency: "EUR"}, "-0.05", "-0.05 EUR"},
		{accord.Money{Amount: 1250, Currency: "JPY"}, "1250", "1250 JPY"},
		{accord.Money{Amount: 0, Currency: "JPY"}, "0", "0 JPY"},
		{accord.Money{Amount: 1, Currency: "KWD"}, "0.001", "0.001 KWD"},
		{accord.Money{Amount: 1250500, Currency: "KWD"}, "1250.500", "1250.500 KWD"},
	}
	for _, tt := range tests {
		if got := tt.m.Decimal(); got != tt.dec {
			t.Errorf("%+v.Decimal() = %q, want %q", tt.m, got, tt.dec)
		}
		if got := tt.m.String(); got != tt.text {
			t.Errorf("%+v.String() = %q, want %q", tt.m, got, tt.text)
		}
		if tt.m.Amount < 0 {
			continue
		}
		back, err := accord.ParseMoney(tt.m.Decimal(), tt.m.Currency)
		if err != nil || back != tt.m {
			t.Errorf("ParseMoney(%q) = %+v, %v; want %+v", tt.m.Decimal(), back, err, tt.m)
		}
	}
}

func TestMoneyPercent(t *testing.T) {
	tests := []struct {
		amount int64
		cur    string
		p      int
		want   int64
	}{
		{5, "EUR", 30, 2},    // 1.5 cents rounds up
		{101, "EUR", 50, 51}, // 50.5 cents rounds up
		{1, "EUR", 49, 0},    // 0.49 cent rounds down
		{1, "EUR", 50, 1},    // exactly half rounds up
		{100000, "EUR", 50, 50000},
		{100000, "EUR", 0, 0},
		{100000, "EUR", 100, 100000},
		{333, "EUR", 33, 110},  // 109.89
		{999, "JPY", 50, 500},  // 499.5 yen
		{1001, "KWD", 50, 501}, // 500.5 fils
	}
	for _, tt := range tests {
		m := accord.Money{Amount: tt.amount, Currency: tt.cur}
		if got := m.Percent(tt.p); got != (accord.Money{Amount: tt.want, Currency: tt.cur}) {
			t.Errorf("%d%% of %s = %s, want %d", tt.p, m, got, tt.want)
		}
	}
}

func TestMoneyAddSub(t *testing.T) {
	a, b := eur("10.50"), eur("0.75")
	if got := a.Add(b); got != eur("11.25") {
		t.Errorf("add = %s", got)
	}
	if got := a.Sub(b); got != eur("9.75") {
		t.Errorf("sub = %s", got)
	}
}

func TestMoneyJSON(t *testing.T) {
	tests := []struct {
		m    accord.Money
		json string
	}{
		{accord.Money{Amount: 125000, Currency: "EUR"}, `{"amount":"1250.00","currency":"EUR"}`},
		{accord.Money{Amount: 7, Currency: "EUR"}, `{"amount":"0.07","currency":"EUR"}`},
		{accord.Money{Amount: 1250, Currency: "JPY"}, `{"amount":"1250","currency":"JPY"}`},
		{accord.Money{Amount: 1250500, Currency: "KWD"}, `{"amount":"1250.500","currency":"KWD"}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.m)
		if err != nil || string(b) != tt.json {
			t.Errorf("marshal %+v = %s, %v; want %s", tt.m, b, err, tt.json)
		}
		var back accord.Money
		if err := json.Unmarshal([]byte(tt.json), &back); err != nil || back != tt.m {
			t.Errorf("unmarshal %s = %+v, %v; want %+v", tt.json, back, err, tt.m)
		}
	}
	// Inside a struct, by value and by pointer, the shape is the same.
	b, err := json.Marshal(struct {
		P  accord.Money  `json:"p"`
		PP *accord.Money `json:"pp"`
	}{eur("1.5"), &accord.Money{Amount: 1, Currency: "JPY"}})
	if want := `{"p":{"amount":"1.50","currency":"EUR"},"pp":{"amount":"1","currency":"JPY"}}`; err != nil || string(b) != want {
		t.Errorf("nested marshal = %s, %v; want %s", b, err, want)
	}
}

func TestMoneyUnmarshalRefuses(t *testing.T) {
	for _, in := range []string{
		`{"amount":1250,"currency":"EUR"}`,
		`{"amount":"1250.001","currency":"EUR"}`,
		`{"amount":"-1","currency":"EUR"}`,
		`{"amount":"1,5","currency":"EUR"}`,
		`{"amount":"","currency":"EUR"}`,
		`{"amount":"1250.5","currency":"JPY"}`,
		`{"amount":"1","currency":"XXX"}`,
		`{"amount":"1"}`,
		`{}`,
		`"1250.00 EUR"`,
		`{"amount":"` + strings.Repeat("9", 30) + `","currency":"EUR"}`,
	} {
		m := accord.Money{Amount: 42, Currency: "USD"}
		if err := json.Unmarshal([]byte(in), &m); err == nil {
			t.Errorf("unmarshal %s = %+v, want an error", in, m)
		}
	}
}

func TestValidCurrency(t *testing.T) {
	for cur, want := range map[string]bool{"EUR": true, "JPY": true, "KWD": true, "BGN": true, "eur": false, "": false, "XYZ": false} {
		if got := accord.ValidCurrency(cur); got != want {
			t.Errorf("ValidCurrency(%q) = %v, want %v", cur, got, want)
		}
	}
}

func TestParseMoneyRefusesATrailingPoint(t *testing.T) {
	for _, in := range []string{"1.", "1250."} {
		if _, err := accord.ParseMoney(in, "EUR"); err == nil {
			t.Errorf("ParseMoney(%q) accepted an amount that ends in a point", in)
		}
	}
}

func TestTextMustBePlain(t *testing.T) {
	cases := []struct {
		in   string
		want string // "" when valid
	}{
		{"Logo for Café Nord", ""},
		{"Лого для кофейни\nвторая строка\tс табуляцией", ""},
		{"a\x00b", "field.text"},
		{"bad \xff byte", "field.text"},
		{"bell\a", ""},
		{"pasted\vline", ""},
		{"   ", "field.required_short"},
		{strings.Repeat("я", 11), "field.too_long"},
	}
	for _, c := range cases {
		var v accord.Invalid
		v.Text("f", c.in, true, 10)
		err := v.Err()
		got := ""
		if err != nil {
			got = err.(*accord.Error).Fields[0].Key
		}
		if got != c.want && !(c.want == "" && c.in != "" && len([]rune(c.in)) > 10 && got == "field.too_long") {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"line\vbreak":      "line\nbreak",
		"para\u2029graph":  "para\ngraph",
		"it\u0092s":        "its",
		"bell\a!":          "bell!",
		"crlf\r\nand\ttab": "crlf\r\nand\ttab",
		"Здравей 👋🏽":       "Здравей 👋🏽",
	} {
		if got := accord.CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
}
