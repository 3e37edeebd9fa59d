package inbound

import (
	"strings"
	"unicode/utf8"
)

// signOffs are the lines mail apps add under a reply, lowercased; a last line that starts with
// one is cut.
var signOffs = []string{
	"sent from my iphone", "sent from my ipad", "sent from my android", "sent from my samsung",
	"sent from my galaxy", "sent from my huawei", "sent from my xiaomi", "sent from my mobile",
	"sent from my phone", "sent from my smartphone", "sent from outlook for", "sent from mail for windows",
	"sent from yahoo mail", "get outlook for ",
	"отправлено с iphone", "отправлено с ipad", "отправлено с моего ", "отправлено с мобильного",
	"отправлено из мобильной ", "отправлено из outlook", "отправлено из почты",
	"изпратено от моя ", "изпратено от iphone", "изпратено от ipad", "изпратено от мобилния",
	"изпратено от outlook",
}

// attributionVerbs end the line a mail app writes above the message it quotes.
var attributionVerbs = []string{
	"wrote:", "writes:", "пишет:", "написал:", "написала:", "написал(а):", "написа:", "пише:",
}

// originalMessages are the words between dashes of Outlook's separator above a quoted message.
var originalMessages = []string{"original message", "исходное сообщение", "оригинално съобщение"}

// headerKeys are the fields of the header block Outlook writes above a quoted message; the block
// starts with a "from" one.
var headerKeys = map[string]string{
	"from": "from", "от": "from",
	"sent": "sent", "date": "sent", "отправлено": "sent", "дата": "sent", "изпратено": "sent",
	"to": "to", "кому": "to", "до": "to",
	"cc": "cc", "копия": "cc", "копие": "cc",
	"subject": "subject", "тема": "subject", "относно": "subject",
}

// maxAttributionRunes bounds an attribution line, two lines of it when wrapped.
const maxAttributionRunes = 300

// newText returns the new part of a reply's text: everything from the first attribution line,
// Outlook separator, quoted header block or signature delimiter on is cut, then trailing quoted
// lines, blank lines, underscore rules and mobile sign-offs. Inner lines stay as they are.
func newText(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := newLines(strings.Split(text, "\n"))
	for len(lines) > 0 && isBlank(lines[0]) {
		lines = lines[1:]
	}
	return strings.Join(lines, "\n")
}

// newLines returns the lines of the reply before its history. When the history comes first, a
// bottom-posted reply, the attribution and the quote right under it go and the rest is read again.
func newLines(lines []string) []string {
	for {
		cut, n := historyStart(lines)
		if n == 0 || cut != firstText(lines) {
			return trimTail(lines[:cut])
		}
		lines = lines[cut+n:]
		for len(lines) > 0 && (isBlank(lines[0]) || isQuoted(lines[0])) {
			lines = lines[1:]
		}
	}
}

// historyStart returns the index of the line where quoted history or the signature starts, and
// how many lines the attribution takes there (0 when what starts is no attribution).
func historyStart(lines []string) (int, int) {
	for i, line := range lines {
		if line == "-- " || line == "--" || isOriginalMessage(line) || isHeaderBlock(lines[i:]) {
			return i, 0
		}
		if n := attribution(lines[i:]); n > 0 {
			return i, n
		}
	}
	return len(lines), 0
}

// attribution returns how many lines, one or two as Gmail wraps it, the attribution at the top
// of lines takes; 0 when there is none. A second line can read as an attribution on its own
// ("<ann@example.com> wrote:"), so a first line that starts one is joined to it first.
func attribution(lines []string) int {
	joined := len(lines) > 1 && !isBlank(lines[0]) && !isBlank(lines[1]) &&
		isAttribution(strings.TrimSpace(lines[0])+" "+strings.TrimSpace(lines[1]))
	switch {
	case joined && startsAttribution(lines[0]) && !isAttribution(lines[0]):
		return 2
	case isAttribution(lines[0]):
		return 1
	case joined && !isAttribution(lines[1]):
		return 2
	}
	return 0
}

// startsAttribution reports whether line starts the way attributions do: "On …", Bulgarian
// "На …", a date ("1 дек. 2026 г.", "01.12.2026") or a weekday ("пн, …", "Mon, …").
func startsAttribution(line string) bool {
	s := strings.TrimSpace(line)
	first, _, _ := strings.Cut(s, " ")
	return strings.HasPrefix(s, "On ") || strings.HasPrefix(s, "На ") || (s != "" && s[0] >= '0' && s[0] <= '9') ||
		(strings.HasSuffix(first, ",") && utf8.RuneCountInString(first) <= 4)
}

// isAttribution reports whether line reads like "On <date>, Ann <a@b> wrote:", "<date>, Анна
// пишет:", "<date> Анна <a@b> написа:", or Gmail's and Yandex's verbless "<date>, Анна <a@b>:".
func isAttribution(line string) bool {
	s := strings.TrimSpace(line)
	if !strings.HasSuffix(s, ":") || isQuoted(s) || utf8.RuneCountInString(s) > maxAttributionRunes {
		return false
	}
	lower := strings.ToLower(s)
	hasDigit := strings.ContainsAny(s, "0123456789")
	for _, verb := range attributionVerbs {
		if strings.HasSuffix(lower, " "+verb) {
			return hasDigit || strings.Contains(s, "@")
		}
	}
	fields := strings.Fields(strings.TrimSuffix(s, ":"))
	if !hasDigit || len(fields) < 2 {
		return false
	}
	last := fields[len(fields)-1]
	return strings.HasSuffix(last, ">") && strings.Contains(last, "@")
}

// isOriginalMessage reports whether line is a separator like "-----Original Message-----".
func isOriginalMessage(line string) bool {
	s := strings.TrimSpace(line)
	if !strings.HasPrefix(s, "--") {
		return false
	}
	words := strings.ToLower(strings.Trim(s, "- "))
	for _, o := range originalMessages {
		if words == o {
			return true
		}
	}
	return false
}

// isHeaderBlock reports whether lines start with a quoted message's "From:" line followed by at
// least two more of its header fields.
func isHeaderBlock(lines []string) bool {
	if headerKey(lines[0]) != "from" {
		return false
	}
	found := 0
	for _, line := range lines[1:min(len(lines), 6)] {
		switch headerKey(line) {
		case "":
			return found >= 2
		case "from":
		default:
			found++
		}
	}
	return found >= 2
}

// headerKey returns the canonical name of the header field line starts, "" when it starts none;
// the asterisks of Outlook's bold field names turned into text are ignored.
func headerKey(line string) string {
	k, _, ok := strings.Cut(strings.TrimSpace(line), ":")
	if !ok || len(k) > 30 {
		return ""
	}
	return headerKeys[strings.ToLower(strings.Trim(k, "* "))]
}

// trimTail drops trailing blank and quoted lines, underscore rules and mobile sign-offs.
func trimTail(lines []string) []string {
	for len(lines) > 0 {
		last := lines[len(lines)-1]
		if !isBlank(last) && !isQuoted(last) && !isRule(last) && !isSignOff(last) {
			break
		}
		lines = lines[:len(lines)-1]
	}
	return lines
}

// isSignOff reports whether line is a mail app's "Sent from my iPhone" or the like.
func isSignOff(line string) bool {
	s := strings.ToLower(strings.TrimSpace(line))
	if utf8.RuneCountInString(s) > 60 {
		return false
	}
	for _, o := range signOffs {
		if strings.HasPrefix(s, o) {
			return true
		}
	}
	return false
}

// isRule reports whether line is only underscores, as Outlook draws above a quoted header block.
func isRule(line string) bool {
	s := strings.TrimSpace(line)
	return len(s) >= 5 && strings.Trim(s, "_") == ""
}

// isQuoted reports whether line is quoted with ">".
func isQuoted(line string) bool { return strings.HasPrefix(strings.TrimLeft(line, " "), ">") }

// isBlank reports whether line holds only white space.
func isBlank(line string) bool { return strings.TrimSpace(line) == "" }

// firstText returns the index of the first line that is not blank, len(lines) when there is none.
func firstText(lines []string) int {
	for i, line := range lines {
		if !isBlank(line) {
			return i
		}
	}
	return len(lines)
}
