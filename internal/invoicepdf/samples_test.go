package invoicepdf

import (
	"fmt"
	"strings"
)

// nb is a no-break space, which the caller's money and date formats put between
// digit groups, and between an amount and its currency sign.
const nb = "\u00a0"

// invoiceEN is an English invoice with a prepayment credited.
func invoiceEN() Doc {
	return Doc{
		Title: "Invoice INV-2026-0007",
		Meta: []Field{
			{"Issue date", "12 March 2026"},
			{"Due date", "26 March 2026"},
			{"Engagement", "Wedding photography, 14 June 2026"},
			{"Milestone", "2 of 3: edited selection"},
		},
		FromLabel: "From",
		From: Party{Name: "Ivan Petrov Photography EOOD", Lines: []string{
			"12 Shipka St, 1504 Sofia, Bulgaria", "VAT no. BG204567891", "ivan@petrov.photo",
		}},
		ToLabel: "Bill to",
		To: Party{Name: "Maria Ivanova", Lines: []string{
			"Flat 4, 21 Baker Street", "London NW1 6XE, United Kingdom",
		}},
		Columns: [4]string{"Description", "Qty", "Unit price", "Amount"},
		Lines: []Line{
			{"Wedding day coverage, 10 hours, two photographers", "1", "€1,800.00", "€1,800.00"},
			{"Edited selection of 300 photos, colour-graded, delivered as high-resolution JPEG and web versions through a private online gallery, two rounds of revisions included", "300", "€2.50", "€750.00"},
			{"Travel Sofia – Plovdiv and back", "2", "€45.00", "€90.00"},
		},
		Totals: []Total{
			{Label: "Net", Amount: "€2,640.00"},
			{Label: "VAT 20" + nb + "%", Amount: "€528.00"},
			{Label: "Total", Amount: "€3,168.00", Strong: true},
			{Label: "Prepayment credited (INV-2026-0003)", Amount: "−€950.00"},
			{Label: "Amount due", Amount: "€2,218.00", Strong: true},
		},
		PaymentLabel: "Payment details",
		Payment: []Field{
			{"Bank", "UniCredit Bulbank"},
			{"IBAN", "BG80" + nb + "UNCR" + nb + "9660" + nb + "1020" + nb + "3456" + nb + "78"},
			{"BIC", "UNCRBGSF"},
			{"Reference", "INV-2026-0007"},
		},
		Notes:  []string{"Please pay by 26 March 2026, quoting the invoice number as the payment reference."},
		Footer: "Ivan Petrov Photography EOOD · UIC 204567891 · Sofia",
		Lang:   "en",
	}
}

// invoiceRU is a Russian invoice, amounts in euros formatted the Russian way.
func invoiceRU() Doc {
	return Doc{
		Title: "Счёт № INV-2026-0007",
		Meta: []Field{
			{"Дата выставления", "12 марта 2026" + nb + "г."},
			{"Оплатить до", "26 марта 2026" + nb + "г."},
			{"Основание", "Договор № 14/2026 на свадебную фотосъёмку"},
		},
		FromLabel: "Исполнитель",
		From: Party{Name: "ИП Петров Иван Сергеевич", Lines: []string{
			"ул. Шипка, д. 12, София, Болгария", "ИНН 771234567890",
		}},
		ToLabel: "Заказчик",
		To: Party{Name: "ООО «Ромашка»", Lines: []string{
			"125009, Москва, ул. Тверская, д. 7", "ИНН 7701234567, КПП 770101001",
		}},
		Columns: [4]string{"Наименование", "Кол-во", "Цена", "Сумма"},
		Lines: []Line{
			{"Свадебная фотосъёмка, 10 часов, два фотографа", "1", "1" + nb + "800,00" + nb + "€", "1" + nb + "800,00" + nb + "€"},
			{"Обработка 300 фотографий: цветокоррекция, ретушь, выдача в высоком разрешении и в веб-формате через закрытую онлайн-галерею, две правки включены", "300", "2,50" + nb + "€", "750,00" + nb + "€"},
			{"Выезд Москва — Подмосковье, туда и обратно", "2", "45,00" + nb + "€", "90,00" + nb + "€"},
		},
		Totals: []Total{
			{Label: "Итого без НДС", Amount: "2" + nb + "640,00" + nb + "€"},
			{Label: "НДС 20" + nb + "%", Amount: "528,00" + nb + "€"},
			{Label: "Итого к оплате", Amount: "3" + nb + "168,00" + nb + "€", Strong: true},
		},
		PaymentLabel: "Реквизиты для оплаты",
		Payment: []Field{
			{"Банк", "АО «Альфа-Банк», г. Москва"},
			{"БИК", "044525593"},
			{"Р/с", "40802810401234567890"},
			{"Назначение платежа", "Оплата по счёту № INV-2026-0007, НДС не облагается"},
		},
		Notes:  []string{"Ёлки-палки: съёмка переносится на день позже без доплаты, если погода не позволит работать на улице."},
		Footer: "ИП Петров И. С. · ОГРНИП 304770000123456",
		Lang:   "ru",
	}
}

// invoiceBG is a Bulgarian invoice; Bulgarian groups digits only from five up.
func invoiceBG() Doc {
	return Doc{
		Title: "Фактура № 0000000007",
		Meta: []Field{
			{"Дата на издаване", "12.03.2026" + nb + "г."},
			{"Дата на данъчното събитие", "12.03.2026" + nb + "г."},
			{"Място на сделката", "София"},
		},
		FromLabel: "Доставчик",
		From: Party{Name: "Иван Петров Фотография ЕООД", Lines: []string{
			"ул. „Шипка“ 12, 1504 София", "ЕИК 204567891", "ДДС № BG204567891",
		}},
		ToLabel: "Получател",
		To:      Party{Name: "Мария Иванова", Lines: []string{"бул. „Витоша“ 44, 1000 София"}},
		Columns: [4]string{"Описание", "Количество", "Ед. цена", "Стойност"},
		Lines: []Line{
			{"Сватбена фотосесия, 10 часа, двама фотографи", "1", "12" + nb + "345,00" + nb + "€", "12" + nb + "345,00" + nb + "€"},
			{"Обработка на 300 снимки с цветова корекция, предадени във висока резолюция чрез онлайн галерия", "300", "2,50" + nb + "€", "750,00" + nb + "€"},
		},
		Totals: []Total{
			{Label: "Данъчна основа", Amount: "13" + nb + "095,00" + nb + "€"},
			{Label: "ДДС 20" + nb + "%", Amount: "2619,00" + nb + "€"},
			{Label: "Общо за плащане", Amount: "15" + nb + "714,00" + nb + "€", Strong: true},
		},
		PaymentLabel: "Начин на плащане: по банков път",
		Payment: []Field{
			{"Банка", "УниКредит Булбанк АД"},
			{"IBAN", "BG80" + nb + "UNCR" + nb + "9660" + nb + "1020" + nb + "3456" + nb + "78"},
			{"Основание", "Фактура № 0000000007"},
		},
		Notes:  []string{"Съгласно чл. 6, ал. 1 от Закона за счетоводството фактурата е валидна без подпис и печат."},
		Footer: "Иван Петров Фотография ЕООД · София",
		Lang:   "bg",
	}
}

// creditNoteBG corrects invoiceBG.
func creditNoteBG() Doc {
	d := invoiceBG()
	d.Title = "Кредитно известие № 0000000008"
	d.Meta = append(d.Meta, Field{"Към фактура", "№ 0000000007 от 12.03.2026" + nb + "г."})
	d.Lines = []Line{{"Отстъпка за забавена доставка на снимките", "1", "−150,00" + nb + "€", "−150,00" + nb + "€"}}
	d.Totals = []Total{
		{Label: "Данъчна основа", Amount: "−150,00" + nb + "€"},
		{Label: "ДДС 20" + nb + "%", Amount: "−30,00" + nb + "€"},
		{Label: "Общо за възстановяване", Amount: "−180,00" + nb + "€", Strong: true},
	}
	d.Notes = []string{"Това кредитно известие коригира фактура № 0000000007 от 12.03.2026" + nb + "г."}
	return d
}

// receiptRU is a payment receipt, with no table of lines.
func receiptRU() Doc {
	d := invoiceRU()
	d.Title = "Квитанция об оплате № RCPT-2026-0002"
	d.Meta = []Field{{"Дата оплаты", "20 марта 2026" + nb + "г."}, {"По счёту", "INV-2026-0007"}}
	d.Columns, d.Lines = [4]string{}, nil
	d.Totals = []Total{{Label: "Получено", Amount: "3" + nb + "168,00" + nb + "€", Strong: true}, {Label: "Остаток к оплате", Amount: "0,00" + nb + "€"}}
	d.PaymentLabel, d.Payment = "Способ оплаты", []Field{{"Банковский перевод", "АО «Альфа-Банк», 20.03.2026"}}
	d.Notes = []string{"Оплата получена полностью. Спасибо!"}
	return d
}

// longInvoice is invoiceRU with n lines, every third one long enough to wrap.
func longInvoice(n int) Doc {
	d := invoiceRU()
	d.Lines = make([]Line, n)
	for i := range d.Lines {
		desc := fmt.Sprintf("Позиция %03d: фотография для каталога", i+1)
		if i%3 == 1 {
			desc += ", " + strings.Repeat("съёмка на белом фоне с тенью и ретушью, ", 3) + "конец"
		}
		d.Lines[i] = Line{desc, "1", "25,00" + nb + "€", fmt.Sprintf("%d,00"+nb+"€", 25+i)}
	}
	return d
}
