// Package i18n is Accord's message catalog: every string a person reads comes from here.
package i18n

import (
	"embed"
	"encoding/json"

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

// T renders key in lang with data; a number under "n" picks the plural form, and a value under
// "state" is itself translated. A missing key renders as the key, so it shows rather than hides.
func (c *Catalog) T(lang, key string, data map[string]any) string {
	loc, ok := c.locs[lang]
	if !ok {
		loc = c.locs["en"]
	}
	cfg := &i18n.LocalizeConfig{MessageID: key, TemplateData: c.prepare(loc, data)}
	if n, ok := data["n"]; ok {
		cfg.PluralCount = n
	}
	s, err := loc.Localize(cfg)
	if err != nil && cfg.PluralCount != nil {
		// "n" is also a plain value (a milestone's number) in messages without plural forms.
		cfg.PluralCount = nil
		s, err = loc.Localize(cfg)
	}
	if err != nil {
		return key
	}
	return s
}

func (c *Catalog) prepare(loc *i18n.Localizer, data map[string]any) map[string]any {
	st, ok := data["state"].(string)
	if !ok {
		return data
	}
	out := make(map[string]any, len(data))
	for k, v := range data {
		out[k] = v
	}
	if s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: "state." + st}); err == nil {
		out["state"] = s
	}
	return out
}

// Translator returns a function that renders keys in lang, for the domain's use.
func (c *Catalog) Translator(lang string) func(string, map[string]any) string {
	return func(key string, data map[string]any) string { return c.T(lang, key, data) }
}
