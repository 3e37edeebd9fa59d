// Package i18n is Accord's message catalog: every string a person reads comes from here.
package i18n

import (
	"embed"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/accordapp/accord"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed messages/*.json
var files embed.FS

// Catalog renders messages in the languages it has.
type Catalog struct {
	bundle *i18n.Bundle
	locs   map[string]*i18n.Localizer
}

// New loads the embedded catalogs.
func New() *Catalog {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	entries, _ := files.ReadDir("messages")
	for _, f := range entries {
		if _, err := b.LoadMessageFileFS(files, "messages/"+f.Name()); err != nil {
			panic("i18n: " + err.Error())
		}
	}
	c := &Catalog{bundle: b, locs: map[string]*i18n.Localizer{}}
	for _, tag := range b.LanguageTags() {
		base, _ := tag.Base()
		c.locs[base.String()] = i18n.NewLocalizer(b, tag.String())
	}
	return c
}

// Has reports whether the catalog has a message with this key.
func (c *Catalog) Has(key string) bool {
	_, err := c.locs["en"].Localize(&i18n.LocalizeConfig{MessageID: key})
	return err == nil
}

// Lang returns the best language the catalog has for an Accept-Language header or a code.
func (c *Catalog) Lang(accept string) string {
	tags, _, _ := language.ParseAcceptLanguage(accept)
	for _, t := range tags {
		base, _ := t.Base()
		if _, ok := c.locs[base.String()]; ok {
			return base.String()
		}
	}
	return "en"
}

// T renders key in lang with data, times in UTC; see In.
func (c *Catalog) T(lang, key string, data map[string]any) string {
	return c.In(Locale{Lang: lang}, key, data)
}

// In renders key for a reader with data. A number under "count" picks the plural form (CLDR's
// rules: ru one/few/many/other, bg one/other); money, dates and times are written as the
// reader's language writes them, times in the reader's zone; a value under "state" is itself
// translated. A missing key renders as the key, so it shows rather than hides.
func (c *Catalog) In(l Locale, key string, data map[string]any) string {
	loc, ok := c.locs[l.Lang]
	if !ok {
		loc, l.Lang = c.locs["en"], "en"
	}
	cfg := &i18n.LocalizeConfig{MessageID: key, TemplateData: c.prepare(loc, l, data)}
	if n, ok := data["count"]; ok {
		cfg.PluralCount = n
	}
	s, err := loc.Localize(cfg)
	if err != nil {
		return key
	}
	return s
}

func (c *Catalog) prepare(loc *i18n.Localizer, l Locale, data map[string]any) map[string]any {
	if len(data) == 0 {
		return data
	}
	out := make(map[string]any, len(data))
	for k, v := range data {
		switch v := v.(type) {
		case accord.Money:
			out[k] = FormatMoney(l.Lang, v)
		case accord.Date:
			out[k] = FormatDate(l.Lang, v)
		case time.Time:
			out[k] = l.Time(v)
		case accord.ByteSize:
			out[k] = c.Size(l.Lang, int64(v))
		case int:
			if k != "count" && k != "num" && k != "version" {
				out[k] = FormatNumber(l.Lang, int64(v))
			} else {
				out[k] = v
			}
		default:
			out[k] = v
		}
	}
	if st, ok := data["state"].(string); ok {
		if s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: "state." + st}); err == nil {
			out["state"] = s
		}
	}
	return out
}

// Size writes a file size in decimal units as lang writes it: 1.3 MB, 1,3 МБ.
func (c *Catalog) Size(lang string, n int64) string {
	units := []string{"size.kb", "size.mb", "size.gb"}
	if n < 1000 {
		return c.T(lang, "size.bytes", map[string]any{"count": n, "value": FormatNumber(lang, n)})
	}
	v, unit := float64(n)/1000, 0
	for v >= 999.95 && unit < len(units)-1 {
		v, unit = v/1000, unit+1
	}
	num := strconv.FormatFloat(v, 'f', 1, 64)
	num = strings.Replace(strings.TrimSuffix(num, ".0"), ".", formOf(lang).decimal, 1)
	return c.T(lang, units[unit], map[string]any{"value": num})
}

// Translator returns a function that renders keys in lang, for the domain's use.
func (c *Catalog) Translator(lang string) func(string, map[string]any) string {
	return func(key string, data map[string]any) string { return c.T(lang, key, data) }
}
