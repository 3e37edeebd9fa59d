package inbound

import "testing"

func TestNewText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"Gmail attribution wrapped before wrote",
			"Thanks!\n\nOn Mon, Dec 1, 2026 at 10:00 AM Ann Lee <ann@x.example>\nwrote:\n\n> hi\n", "Thanks!"},
		{"Gmail attribution wrapped inside the name",
			"Thanks!\nOn Mon, 1 Dec 2026 at 10:00, Ann Lee via Accord\n<r-1@reply.example> wrote:\n> hi\n", "Thanks!"},
		{"attribution right under the text",
			"Thanks!\nOn Mon, 1 Dec 2026 at 10:00, Ann <ann@x.example> wrote:\n> hi\n", "Thanks!"},
		{"attribution without a date",
			"Thanks for the call at 10.\n\nAnn <ann@x.example> wrote:\n> hi\n", "Thanks for the call at 10."},
		{"Gmail in Russian, no verb",
			"Спасибо!\n\nпн, 1 дек. 2026 г. в 10:00, Анна Ли <ann@x.example>:\n\n> Привет\n", "Спасибо!"},
		{"Thunderbird in Russian",
			"Да, подходит.\n\n01.12.2026 10:00, Анна Ли пишет:\n> Подходит?\n", "Да, подходит."},
		{"Apple Mail in Russian",
			"Да.\n\n1 дек. 2026 г., в 10:00, Анна Ли <ann@x.example> написал(а):\n\nПодходит?\n", "Да."},
		{"Outlook mobile, header block under a rule",
			"Sounds good.\n\nGet Outlook for iOS\n________________________________\nFrom: Ann Lee <ann@x.example>\n" +
				"Sent: Monday, December 1, 2026 10:00 AM\nTo: Bob <bob@x.example>\nSubject: Draft\n\nHi Bob\n", "Sounds good."},
		{"Outlook header block in Russian",
			"Хорошо.\n\nОт: Анна Ли\nОтправлено: 1 декабря 2026 г. 10:00\nКому: Иван\nТема: Смета\n\nИван, добрый день!\n", "Хорошо."},
		{"Outlook header block in Bulgarian, bold names",
			"Добре.\n\n*От:* Анна Ли <ann@x.example>\n*Изпратено:* 1 декември 2026 г. 10:00\n*До:* Георги\n*Относно:* Оферта\n", "Добре."},
		{"Outlook separator in English", "Fine.\n\n-----Original Message-----\nFrom: Ann\nHello\n", "Fine."},
		{"Outlook separator in Bulgarian", "Да.\n-----Оригинално съобщение-----\nОт: Анна\n", "Да."},
		{"signature delimiter with its space", "Ok, Friday.\n-- \nBob\nAcme Ltd\n", "Ok, Friday."},
		{"signature delimiter without its space", "Ok\n--\nBob\n", "Ok"},
		{"trailing quote without attribution", "Yes.\n\n> Can you?\n> Thanks\n", "Yes."},
		{"inline answers kept", "> Can you do Friday?\nYes.\n> And Monday?\nNo.\n\n> Ann\n",
			"> Can you do Friday?\nYes.\n> And Monday?\nNo."},
		{"bottom-posted", "On Mon, 1 Dec 2026 at 10:00, Ann <ann@x.example> wrote:\n> Can you?\n\nYes, I can.\n\n-- \nBob\n", "Yes, I can."},
		{"sign-offs in Bulgarian and Russian", "Ок.\n\nИзпратено от моя Samsung Galaxy смартфон.\n", "Ок."},
		{"Mail.ru sign-off", "Хорошо\nОтправлено из мобильной Почты Mail.ru\n", "Хорошо"},
		{"a colon that is no attribution", "Here is what Ann wrote:\nplease keep the colours\n", "Here is what Ann wrote:\nplease keep the colours"},
		{"a sentence that is no sign-off", "Sent from my home office, so expect delays.\n", "Sent from my home office, so expect delays."},
		{"a From line that is no header block", "From: the team, thanks.\nTo: be continued\n", "From: the team, thanks.\nTo: be continued"},
		{"blank lines around trimmed, inner kept, CRLF read", "\r\n\r\n  Indented\r\n\r\n\r\nSecond  \r\n\r\n", "  Indented\n\n\nSecond  "},
		{"only a quote", "On Mon, 1 Dec 2026 at 10:00, Ann <ann@x.example> wrote:\n> Hi\n", ""},
		{"only a sign-off", "\nSent from my iPhone\n", ""},
	}
	for _, tt := range tests {
		if got := newText(tt.in); got != tt.want {
			t.Errorf("%s: newText =\n%q\nwant\n%q", tt.name, got, tt.want)
		}
	}
}

func TestHTMLText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"br, p and div break lines", "<div>One<br>Two</div><p>Three</p><p>Four</p>", "One\nTwo\nThree\nFour\n"},
		{"empty div with br is a blank line", "<div>Hi</div><div><br></div><div>Bye</div>", "Hi\n\nBye\n"},
		{"entities decoded", "Tom &amp; Jerry &lt;3 &laquo;ok&raquo; &#1041;&nbsp;&euro;", "Tom & Jerry <3 «ok» Б €"},
		{"white space collapsed", "  a \n\t b   c  ", "a b c"},
		{"script, style and title hidden", "<title>T</title><style>p{}</style>shown<script>x()</script>", "shown"},
		{"blockquote lines quoted", "Yes<blockquote>Can you?<br>Thanks</blockquote>", "Yes\n> Can you?\n> Thanks\n"},
		{"pre keeps its lines", "<pre>a  b\n  c</pre>", "a  b\n  c\n"},
		{"cells apart", "<table><tr><td>a</td><td>b</td></tr></table>", "a b\n"},
	}
	for _, tt := range tests {
		if got := htmlText(tt.in); got != tt.want {
			t.Errorf("%s: htmlText =\n%q\nwant\n%q", tt.name, got, tt.want)
		}
	}
}
