package chart

import (
	"html/template"
	"strings"
)

// tableTemplate lays out the data of a chart as an HTML table. The html/template
// package escapes every text.
var tableTemplate = template.Must(template.New("table").Parse(
	`<table class="chart-table"><caption>{{.Title}}</caption>` +
		`<thead><tr><td></td>{{range .Series}}<th scope="col">{{.}}</th>{{end}}</tr></thead>` +
		`<tbody>{{range .Rows}}<tr><th scope="row">{{.Label}}</th>` +
		`{{range .Amounts}}<td class="chart-amount">{{.}}</td>{{end}}</tr>{{end}}</tbody></table>`))

// Table renders the same data as Bars as an HTML table, for screen readers
// and for readers who prefer numbers. The caption is Options.Title, the
// column headers are Options.Series and each row is one month with its
// amounts formatted by Options.Format. The size options are ignored. It
// returns the same errors as Bars for invalid input. A page would typically
// place it next to the chart or inside a <details> element.
func Table(months []Month, opt Options) (template.HTML, error) {
	if _, _, err := check(months, &opt); err != nil {
		return "", err
	}
	type row struct {
		Label   string
		Amounts [3]string
	}
	data := struct {
		Title  string
		Series [3]string
		Rows   []row
	}{Title: opt.Title, Series: opt.Series, Rows: make([]row, len(months))}
	for i, m := range months {
		data.Rows[i] = row{m.Label, [3]string{opt.Format(m.Received), opt.Format(m.Due), opt.Format(m.Overdue)}}
	}
	var b strings.Builder
	if err := tableTemplate.Execute(&b, data); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}
