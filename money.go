package accord

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// ByteSize is a size in bytes; a message shows it in the reader's units, 1.3 MB or 1,3 МБ.
type ByteSize int64

// Money is an exact amount in minor units (cents) of an ISO 4217 currency.
type Money struct {
	Amount   int64
	Currency string
}

// minorDigits lists the currencies Accord accepts and their number of minor digits.
var minorDigits = map[string]int{
	"EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "BGN": 2, "RUB": 2, "UAH": 2, "PLN": 2,
	"CZK": 2, "SEK": 2, "NOK": 2, "DKK": 2, "RON": 2, "HUF": 2, "TRY": 2, "CAD": 2,
	"AUD": 2, "NZD": 2, "KZT": 2, "GEL": 2, "AMD": 2, "RSD": 2, "ILS": 2, "AED": 2,
	"INR": 2, "CNY": 2, "BRL": 2, "MXN": 2, "ZAR": 2, "SGD": 2, "HKD": 2,
	"JPY": 0, "KRW": 0, "ISK": 0, "KWD": 3, "BHD": 3,
}

// ValidCurrency reports whether code is a currency Accord accepts.
func ValidCurrency(code string) bool {
	_, ok := minorDigits[code]
	return ok
}

// Add returns m + o; both must be in the same currency.
func (m Money) Add(o Money) Money { return Money{m.Amount + o.Amount, m.Currency} }

// Sub returns m - o; both must be in the same currency.
func (m Money) Sub(o Money) Money { return Money{m.Amount - o.Amount, m.Currency} }

// Percent returns p % of m, rounded half up to the minor unit.
func (m Money) Percent(p int) Money {
	return Money{(m.Amount*int64(p) + 50) / 100, m.Currency}
}

// String formats m as "1250.00 EUR".
func (m Money) String() string { return m.Decimal() + " " + m.Currency }

// Decimal formats the amount with the currency's minor digits, as "1250.00".
func (m Money) Decimal() string {
	d := minorDigits[m.Currency]
	neg, a := m.Amount < 0, m.Amount
	if neg {
		a = -a
	}
	s := strconv.FormatInt(a, 10)
	if d > 0 {
		for len(s) <= d {
			s = "0" + s
		}
		s = s[:len(s)-d] + "." + s[len(s)-d:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// ParseMoney reads a non-negative decimal string such as "1250.5" in currency cur.
func ParseMoney(s, cur string) (Money, error) {
	d, ok := minorDigits[cur]
	if !ok {
		return Money{}, fmt.Errorf("unknown currency %q", cur)
	}
	s = strings.TrimSpace(s)
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || dot && frac == "" || len(frac) > d || !digits(whole) || !digits(frac) || len(whole) > 13 {
		return Money{}, fmt.Errorf("%q is not an amount in %s (write it like %s)", s, cur, Money{125000, cur}.Decimal())
	}
	frac += strings.Repeat("0", d-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return Money{}, fmt.Errorf("%q is not an amount in %s", s, cur)
	}
	return Money{n, cur}, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

type moneyJSON struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

// MarshalJSON writes {"amount": "1250.00", "currency": "EUR"}.
func (m Money) MarshalJSON() ([]byte, error) {
	return json.Marshal(moneyJSON{m.Decimal(), m.Currency})
}

// UnmarshalJSON reads {"amount": "1250.00", "currency": "EUR"}.
func (m *Money) UnmarshalJSON(b []byte) error {
	var j moneyJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	v, err := ParseMoney(j.Amount, j.Currency)
	if err != nil {
		return err
	}
	*m = v
	return nil
}
