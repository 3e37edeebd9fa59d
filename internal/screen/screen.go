// Package screen reads what a client writes (brief answers, messages) for the signs of a client
// who will not pay or of a scam: card details or a crypto wallet asked for, an upfront fee,
// money passed through the freelancer's accounts, work or sources wanted before payment,
// prepayment or a written agreement refused, pressure, talk moved off the record. The rules are
// word stems and phrasings in English, Russian and Bulgarian, documented in docs/screening.md;
// every language's rules run on every text, since clients do not always write in the language
// set for them.
package screen

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
)

// The red-flag codes, as API.md names them.
const (
	UnpaidTestTask      = "unpaid_test_task"
	RefusesPrepayment   = "refuses_prepayment"
	SourceBeforePayment = "source_before_payment"
	VagueScope          = "vague_scope"
	RefusesAgreement    = "refuses_agreement"
	Pressure            = "pressure"
	CardDetails         = "card_details"
	CryptoWallet        = "crypto_wallet"
	UpfrontFee          = "upfront_fee"
	MoneyMule           = "money_mule"
	OffRecord           = "off_record"
)

// Codes are every red-flag code, in the order pages list them.
var Codes = []string{UnpaidTestTask, RefusesPrepayment, SourceBeforePayment, VagueScope, RefusesAgreement,
	Pressure, CardDetails, CryptoWallet, UpfrontFee, MoneyMule, OffRecord}

// A rule finds one code. Its words are matched on the text in lower case, where they are
// written in lower case; starts are the literal beginnings one of which every match has (nil
// when a match can begin otherwise), so that a text holding none of them is passed at once.
type rule struct {
	code   string
	re     *regexp.Regexp
	starts []string
}

// either is the rule that finds code where any of the phrasings ps begins a word.
func either(code string, ps ...string) rule {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += "|"
		}
		s += "(?:" + p + ")"
	}
	parsed, err := syntax.Parse(s, syntax.Perl)
	if err != nil {
		panic(fmt.Sprintf("screen: rule %s: %v", code, err))
	}
	starts, _ := beginnings(parsed)
	for _, b := range starts {
		if b == "" {
			starts = nil
			break
		}
	}
	return rule{code, regexp.MustCompile(`(?:^|[^\p{L}\p{N}])(?:` + s + `)`), starts}
}

// maxStarts bounds how many beginnings a rule keeps; past it, they stay as short as they are.
const maxStarts = 64

// beginnings lists literal strings one of which every match of re begins with (nil: none is
// known), and whether every match is exactly one of them. Upper-case letters in a rule's words
// are a mistake, since the text is lowered before it is matched.
func beginnings(re *syntax.Regexp) (starts []string, whole bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpLiteral:
		if s := string(re.Rune); s != strings.ToLower(s) || re.Flags&syntax.FoldCase != 0 {
			panic(fmt.Sprintf("screen: %q: a rule's words must be in lower case", s))
		}
		return []string{string(re.Rune)}, true
	case syntax.OpCharClass:
		for i := 0; i < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(starts) == 8 {
					return nil, false
				}
				starts = append(starts, string(r))
			}
		}
		return starts, true
	case syntax.OpCapture:
		return beginnings(re.Sub[0])
	case syntax.OpAlternate:
		whole = true
		for _, sub := range re.Sub {
			b, w := beginnings(sub)
			if b == nil {
				return nil, false
			}
			starts, whole = append(starts, b...), whole && w
		}
		return starts, whole
	case syntax.OpConcat:
		starts = []string{""}
		for _, sub := range re.Sub {
			b, w := beginnings(sub)
			if b == nil || len(starts)*len(b) > maxStarts {
				return starts, false
			}
			next := make([]string, 0, len(starts)*len(b))
			for _, s := range starts {
				for _, t := range b {
					next = append(next, s+t)
				}
			}
			if starts = next; !w {
				return starts, false
			}
		}
		return starts, true
	}
	return nil, false
}

// rules find each code by phrasings in en, ru and bg; \p{L}* stands for a word's ending.
var rules = []rule{
	either(CardDetails, `card (?:number|details|data)`, `(?:three|3) digits on the back`, `cvv|cvc`, `expiry date`,
		`номер\p{L}* (?:вашей |своей )?карт\p{L}*`, `данны\p{L}* (?:вашей |своей )?карт\p{L}*`, `(?:три|3) цифры на обороте`, `срок\p{L}* действия карт\p{L}*`,
		`данни\p{L}* на (?:банковата )?(?:си )?карта`, `номер\p{L}* на (?:банковата )?(?:си )?карта`, `валидност\p{L}* на картата`, `(?:трите|3) цифри на гърба`),
	either(CryptoWallet, `bitcoin|btc|ethereum|usdt|tether|crypto`, `wallet address`,
		`биткоин\p{L}*|криптовалют\p{L}*|крипт\p{L}*кошел\p{L}*|кошел[её]к\p{L}*|кошельк\p{L}*|usdt`,
		`портфейл\p{L}*|крипто\p{L}*`),
	either(UpfrontFee, `(?:onboarding|registration|insurance|activation|processing|membership) fee`, `pay (?:a|the) fee (?:first|before)`, `fee (?:first|before we)`,
		`(?:регистрационн|страхов|вступительн)\p{L}* (?:взнос|сбор|плат)\p{L}*`, `(?:оплатите|внесите) (?:сначала )?(?:взнос|сбор)\p{L}*`,
		`(?:такса|такси) за (?:регистрация|застраховка|активиране)`, `(?:регистрационн|застрахователн)\p{L}* такс\p{L}*`, `платете (?:първо )?такс\p{L}*`),
	either(MoneyMule, `receive (?:the )?(?:money|payments?|funds) (?:on|to|into) your`, `transfer (?:it|them|the money) (?:on|to)`, `keep (?:a|your) (?:cut|percentage|commission)`, `money mule|drop account`,
		`арбитраж\p{L}*`, `дроп\p{L}*`, `принима\p{L}* деньги на (?:вашу |свою )?карт\p{L}*`, `процент ваш`,
		`(?:получавате|приемате) (?:парите|пари|плащания) (?:по|на) (?:вашата|своята|ваша)`, `превеждате (?:ги|парите) (?:на|към)`, `процент\p{L}* (?:е )?ваш\p{L}*`),
	either(UnpaidTestTask, `free (?:sample|test|trial)`, `(?:sample|test) (?:page|task|logo|piece) (?:first|for free)`, `unpaid (?:test|trial)`, `if we like it,? we(?:'ll| will) (?:hire|pay)`,
		`бесплатн\p{L}* (?:тестов\p{L}*|пробн\p{L}*|образ\p{L}*)`, `тестов\p{L}* задани\p{L}* бесплатно`, `если понравится,? (?:возьм|оплат|наним)\p{L}*`,
		`безплатн\p{L}* (?:пробн\p{L}*|тестов\p{L}*|мостр\p{L}*)`, `пробн\p{L}* (?:лого|задача|страница) безплатно`, `ако ни хареса`),
	either(SourceBeforePayment, `(?:editable|source|original|raw|psd|ai) files first`, `send (?:us |me )?the (?:sources?|originals?|editable files)(?: first| before)`, `pay (?:right )?after (?:we|you) (?:get|send|receive)`,
		`(?:исходник\p{L}*|исходн\p{L}* файл\p{L}*) (?:сначала|вперёд|до оплаты)`, `сначала (?:пришлите|отправьте) (?:исходник\p{L}*|исходн\p{L}*)`,
		`(?:изходни|редактируеми|оригинални) файлове (?:първо|преди плащането)`, `първо (?:изпратете|пратете) (?:изходни|оригинал)\p{L}*`),
	either(RefusesPrepayment, `(?:no|don'?t|do not|never) (?:pay )?(?:prepay|upfront|deposit|advance)`, `pay (?:only )?(?:on|upon|after) (?:delivery|completion)`,
		`предоплат\p{L}* (?:мы |я )?(?:не делаем|не даём|не вносим|не будет)`, `без предоплат\p{L}*`, `оплат\p{L}* по факту`,
		`(?:не даваме|не плащаме|не превеждаме) аванс\p{L}*`, `без аванс\p{L}*`, `плащане след (?:предаване|приключване)`),
	either(RefusesAgreement, `(?:no|don'?t need (?:a|any)) (?:contract|agreement)`, `without (?:a )?(?:contract|agreement)`, `we trust each other`,
		`договор\p{L}* не нуж\p{L}*`, `без договор\p{L}*`, `(?:мы же|ведь) доверя\p{L}*`, `соглашени\p{L}* не нуж\p{L}*`,
		`не (?:ни )?трябва договор`, `без договор`, `нали си вярваме`),
	either(Pressure, `half (?:the )?price`, `(?:urgent|asap|by tomorrow).{0,40}(?:cheap|discount|half)`, `right now or (?:we|i)(?:'ll| will) (?:find|go)`,
		`за полцены|в полцены|вдвое дешевле`, `(?:срочно|к завтра|до завтра).{0,40}(?:скидк|дешевле|полцены)`,
		`половин цена|половин\p{L}* цен\p{L}*`, `(?:спешно|до утре).{0,40}(?:отстъпк|по-евтин)`),
	either(OffRecord, `whatsapp|telegram|viber|wechat`, `(?:talk|chat|continue|pay) (?:outside|off) (?:the )?(?:platform|portal|site|record)`,
		`вотсап\p{L}*|телеграм\p{L}*|вайбер\p{L}*`, `(?:мимо|вне) (?:портал\p{L}*|кабинет\p{L}*|площадк\p{L}*)`,
		`извън (?:портала|платформата)`),
}

// Scan lists the red-flag codes a text shows, each once, in code order.
func Scan(text string) []string {
	text = strings.ToLower(text)
	var out []string
	for _, r := range rules {
		if r.starts != nil && !containsAny(text, r.starts) {
			continue
		}
		if r.re.MatchString(text) {
			out = append(out, r.code)
		}
	}
	sort.Strings(out)
	return out
}

func containsAny(text string, subs []string) bool {
	for _, s := range subs {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}
