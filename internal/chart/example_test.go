package chart_test

import (
	"fmt"
	"html/template"
	"os"
	"strconv"

	"github.com/accordapp/accord/internal/chart"
)

// cents formats minor units of a two-decimal currency. A real page uses the
// formatter of the reader's locale and currency.
func cents(minor int64) string {
	return strconv.FormatInt(minor/100, 10) + "," + fmt.Sprintf("%02d", minor%100) + " €"
}

func ExampleBars() {
	months := []chart.Month{
		{Label: "Jan", Received: 120000, Due: 30000},
		{Label: "Feb", Received: 80000, Due: 20000, Overdue: 45000},
	}
	svg, err := chart.Bars(months, chart.Options{
		Title:  "Money per month",
		Desc:   "Received, due and overdue money in January and February.",
		Series: [3]string{"Received", "Due", "Overdue"},
		Format: cents,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The result is template.HTML, so html/template inserts it as is.
	page := template.Must(template.New("page").Parse(`<figure>{{.}}</figure>`))
	if err := page.Execute(os.Stdout, svg); err != nil {
		fmt.Println(err)
	}
}

func ExampleTable() {
	months := []chart.Month{{Label: "Jan", Received: 120000, Due: 30000, Overdue: 5}}
	table, err := chart.Table(months, chart.Options{
		Title:  "Money per month",
		Series: [3]string{"Received", "Due", "Overdue"},
		Format: cents,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(table)
	// Output:
	// <table class="chart-table"><caption>Money per month</caption><thead><tr><td></td><th scope="col">Received</th><th scope="col">Due</th><th scope="col">Overdue</th></tr></thead><tbody><tr><th scope="row">Jan</th><td class="chart-amount">1200,00 €</td><td class="chart-amount">300,00 €</td><td class="chart-amount">0,05 €</td></tr></tbody></table>
}
