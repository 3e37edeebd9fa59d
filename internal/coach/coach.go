// Package coach reads a reply before it goes and finds what is likely to hurt it: accusations,
// absolutes, sarcasm, threats, shouting, blame shifted, dismissal; and, for a reply to a
// complaint, a missing acknowledgement, paraphrase or offer of options. The rules are word stems
// and phrasings in English, Russian and Bulgarian (a stem covers a word's forms: "проигнорир"
// matches "проигнорировали" and "проигнорировал"), documented for users in docs/coach.md.
package coach

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The categories, as API.md names them.
const (
	Accusation        = "accusation"
	Absolute          = "absolute"
	Sarcasm           = "sarcasm"
	Threat            = "threat"
	Shouting          = "shouting"
	BlameShift        = "blame_shift"
	Dismissive        = "dismissive"
	NoAcknowledgement = "no_acknowledgement"
	NoParaphrase      = "no_paraphrase"
	NoOption          = "no_option"
)

// Languages are the languages the coach reads.
var Languages = []string{"en", "ru", "bg"}

// Finding is one thing found in a reply: its category and where it stands, in runes (a missing
// part of a reply to a complaint has start = end = 0).
type Finding struct {
	Category   string
	Start, End int
}

// rule finds one category by phrasings; each is matched where a word starts, case aside.
type rule struct {
	category string
	res      []*regexp.Regexp
}

func phrases(category string, ps ...string) rule {
	r := rule{category: category}
	for _, p := range ps {
		// A phrase starts at a word's start: Go's \b knows only ASCII letters.
		r.res = append(r.res, regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])(`+p+`)`))
	}
	return r
}

// spans are the rules that mark a span of the reply, by language.
var spans = map[string][]rule{
	"en": {
		phrases(Accusation, `you(?: \p{L}+ly)? (?:ignor|disregard|fail|mess|ruin|broke|misread|misunderstood|didn'?t (?:read|listen|bother|follow)|did not (?:read|listen|follow)|never listen|lied|cheat)\p{L}*`,
			`your fault`, `you don'?t (?:understand|get it|listen)`, `you can'?t even`),
		phrases(Absolute, `always`, `never`, `every single time`, `constantly`, `nothing ever`, `every time`),
		phrases(Sarcasm, `(?:sure|oh great|great|yeah right|of course|oh yes),? because`, `my (?:favou?rite|preferred) (?:hobby|pastime|thing)`,
			`yeah,? right`, `thanks a lot`, `what a surprise`, `how (?:nice|lovely|convenient)`, `clearly you know better`, `good luck with that`),
		phrases(Threat, `or (?:else|i'?ll|i will)`, `(?:take|see) (?:this |it |you )?(?:to|in) court`, `sue you`, `(?:my|a) lawyer`, `legal action`,
			`report you`, `tell every(?:one|body| agency| client)`, `(?:bad|negative|one-star) review`, `blacklist`, `you'?ll regret`),
		phrases(BlameShift, `(?:don'?t|do not|stop) blam\p{L}*`, `not my fault`, `because of you`, `you made me`, `that'?s on you`, `if you had`, `blame yourself`),
		phrases(Dismissive, `not my (?:job|problem|concern|responsibility)`, `ask (?:someone|somebody) else`, `whatever`, `deal with it`,
			`that'?s your problem`, `not interested`, `figure it out yourself`),
	},
	"ru": {
		phrases(Accusation, `вы(?:\s+(?:явно|просто|опять|снова|даже|же|совсем|вообще))?\s+(?:проигнорир|игнорир|пренебр|испорт|сорвал|провалил|обманул|не\s+(?:прочитал|читал|понял|слушал|удосужил))\p{L}*`,
			`по\s+вашей\s+вине`, `ваша\s+вина`, `вы\s+ничего\s+не\s+понима\p{L}*`),
		phrases(Absolute, `никогда`, `всегда`, `вечно`, `постоянно`, `каждый\s+раз`, `ни\s+разу`),
		phrases(Sarcasm, `ага,`, `ну\s+конечно`, `ну\s+да,`, `(?:моё|мое)\s+любимое\s+(?:занятие|дело|хобби)`, `какая\s+неожиданность`,
			`спасибо\s+огромное`, `ещё\s+бы`, `вам\s+виднее`),
		phrases(Threat, `(?:подам|подаду|обращусь)\s+в\s+суд`, `в\s+суд\p{L}*`, `судом`, `юрист\p{L}*`, `адвокат\p{L}*`, `расскажу\s+всем`,
			`(?:плохой|негативный|отрицательный)\s+отзыв`, `а\s+иначе`, `пожалеете`, `чёрный\s+список|черный\s+список`),
		phrases(BlameShift, `не\s+(?:надо|нужно|стоит|смейте)?\s*вин\p{L}*\s+меня`, `не\s+моя\s+вина`, `я\s+не\s+винов\p{L}*`, `из-за\s+вас`,
			`сами\s+виноват\p{L}*`, `если\s+бы\s+вы`),
		phrases(Dismissive, `не\s+моя\s+(?:работа|проблема|забота|обязанность)`, `не\s+мои\s+проблемы`, `спросите\s+(?:кого-нибудь|кого-то|другого)\s*\p{L}*`,
			`ваши\s+проблемы`, `как\s+хотите`, `мне\s+всё\s+равно|мне\s+все\s+равно`, `разбирайтесь\s+сами`),
	},
	"bg": {
		phrases(Accusation, `(?:вие\s+)?(?:явно\s+|просто\s+|пак\s+)?сте\s+(?:пренебрегнал|игнорирал|провалил|развалил|объркал|забравил|излъгал|не\s+(?:прочел|прочели|разбрал|слушал))\p{L}*`,
			`пренебрегна\p{L}*`, `по\s+ваша\s+вина`, `вината\s+е\s+ваша`, `нищо\s+не\s+разбирате`),
		phrases(Absolute, `никога`, `винаги`, `вечно`, `постоянно`, `всеки\s+път`, `нито\s+веднъж`),
		phrases(Sarcasm, `да\s+бе`, `ама\s+разбира\s+се`, `ами\s+да,`, `любимото\s+ми\s+(?:занимание|нещо|хоби)`, `каква\s+изненада`, `браво\s+бе`,
			`много\s+благодаря\s+за`, `вие\s+знаете\s+по-добре`),
		phrases(Threat, `ще\s+(?:ви|те)\s+съдя`, `(?:в|на)\s+съд\p{L}*`, `адвокат\p{L}*`, `юрист\p{L}*`, `ще\s+кажа\s+на\s+всички`,
			`(?:лош|негативен|отрицателен)\s+отзив`, `(?:че|защото)\s+иначе`, `ще\s+съжалявате`, `черен\s+списък`),
		phrases(BlameShift, `не\s+ме\s+обвинявай\p{L}*`, `не\s+е\s+моя\s+вина\p{L}*`, `не\s+съм\s+винов\p{L}*`, `заради\s+вас`, `вие\s+сте\s+винов\p{L}*`,
			`ако\s+бяхте`),
		phrases(Dismissive, `не\s+е\s+(?:моя\s+работа|мой\s+проблем|моя\s+грижа)`, `питайте\s+(?:някой|друг)\s*\p{L}*`, `(?:ваш|си)\s+проблем`,
			`както\s+искате`, `все\s+ми\s+е\s+едно`, `оправяйте\s+се\s+сами`),
	},
}

// markers are what a reply to a complaint should hold, by category it is missing and language.
var markers = map[string]map[string]*regexp.Regexp{
	NoAcknowledgement: {
		"en": regexp.MustCompile(`(?i)sorry|apolog|i understand|i see (?:why|that|how)|i hear you|frustrat|disappoint|thank you for|thanks for|regret|i realise|i realize`),
		"ru": regexp.MustCompile(`(?i)жаль|извин|прошу\s+прощения|понима|сожале|спасибо,?\s+что|благодар|неприятно|огорч`),
		"bg": regexp.MustCompile(`(?i)съжалявам|извин|разбирам|благодаря|неприятно|огорч|жалко`),
	},
	NoParaphrase: {
		"en": regexp.MustCompile(`(?i)so the (?:main )?(?:issue|problem|point|concern) is|if i understand|do i understand|as i understand|you(?:'re| are) saying|you mean|in other words|, right\?|is that right\?|is that it\?`),
		"ru": regexp.MustCompile(`(?i)правильно\s+ли\s+я\s+понима|если\s+я\s+правильно\s+понял|то\s+есть|вы\s+имеете\s+в\s+виду|главная\s+проблема|как\s+я\s+понимаю|верно\s+ли|я\s+правильно\s+понимаю`),
		"bg": regexp.MustCompile(`(?i)правилно\s+ли\s+разбирам|ако\s+правилно\s+разбирам|тоест|имате\s+предвид|основният\s+проблем|както\s+разбирам|вярно\s+ли|правилно\s+разбирам`),
	},
	NoOption: {
		"en": regexp.MustCompile(`(?i)\bor\b|option|\bi can\b|\bi could\b|\bwe could\b|\bwe can\b|i suggest|i recommend|would you prefer|alternatively|i'?d start|i would start`),
		"ru": regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:или|могу|можем|мог\s+бы|вариант|предлагаю|рекомендую|я\s+бы)(?:[^\p{L}]|$)`),
		"bg": regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:или|мога|можем|бих|вариант|предлагам|препоръчвам)(?:[^\p{L}]|$)`),
	},
}

// Check reads a reply written in lang; replyToComplaint also asks whether it acknowledges,
// paraphrases and offers options. Findings come in the order they stand in the text.
func Check(text, lang string, replyToComplaint bool) []Finding {
	var out []Finding
	for _, r := range spans[lang] {
		for _, re := range r.res {
			for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
				out = append(out, Finding{Category: r.category, Start: runes(text, m[2]), End: runes(text, m[3])})
			}
		}
	}
	out = append(out, shouting(text)...)
	out = dedupe(out)
	if replyToComplaint {
		for _, c := range []string{NoAcknowledgement, NoParaphrase, NoOption} {
			if re := markers[c][lang]; re != nil && !re.MatchString(text) {
				out = append(out, Finding{Category: c})
			}
		}
	}
	return out
}

func runes(s string, byteOffset int) int { return utf8.RuneCountInString(s[:byteOffset]) }

// shouting finds runs of two or more words in capitals, or one of five letters or more (an
// acronym is shorter), in any alphabet.
func shouting(text string) []Finding {
	type word struct{ start, end, letters int }
	var caps []word
	var out []Finding
	flush := func() {
		if len(caps) >= 2 || len(caps) == 1 && caps[0].letters >= 5 {
			out = append(out, Finding{Category: Shouting, Start: caps[0].start, End: caps[len(caps)-1].end})
		}
		caps = caps[:0]
	}
	rs := []rune(text)
	for i := 0; i < len(rs); {
		if !unicode.IsLetter(rs[i]) {
			if !unicode.IsSpace(rs[i]) && rs[i] != ',' && rs[i] != '-' {
				flush()
			}
			i++
			continue
		}
		j, upper := i, true
		for j < len(rs) && unicode.IsLetter(rs[j]) {
			upper = upper && unicode.IsUpper(rs[j])
			j++
		}
		if upper && j-i >= 2 {
			caps = append(caps, word{i, j, j - i})
		} else {
			flush()
		}
		i = j
	}
	flush()
	return out
}

// dedupe keeps one finding of a category where spans overlap, the longest, in text order.
func dedupe(fs []Finding) []Finding {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Start != fs[j].Start {
			return fs[i].Start < fs[j].Start
		}
		return fs[i].End-fs[i].Start > fs[j].End-fs[j].Start
	})
	var out []Finding
	for _, f := range fs {
		dup := false
		for _, o := range out {
			if o.Category == f.Category && f.Start < o.End && o.Start < f.End {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, f)
		}
	}
	return out
}

// Categories lists the categories of findings, each once, in order.
func Categories(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		if !strings.Contains(" "+strings.Join(out, " ")+" ", " "+f.Category+" ") {
			out = append(out, f.Category)
		}
	}
	sort.Strings(out)
	return out
}
