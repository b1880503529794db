// Package lettergen generates citizens' letters for the tests and benchmarks of appeal/similar:
// fresh letters on the topics citizens write about, and letters sent again the way people do
// it (sentences reordered, typos, another greeting, initials for the name, ё written as е, a
// paragraph added), with the truth of which letters are duplicates of which.
package lettergen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Window is the duplicate window of the truth: two letters of one family and one person
// received at most this far apart are duplicates.
const Window = 60 * 24 * time.Hour

// Letter is one generated appeal.
type Letter struct {
	// ID, and the rest of the letter as the generator wrote it.
	ID       uuid.UUID
	Name     string // as the applicant gave it: «Петрова Нина Сергеевна» or «Петрова Н.С.»
	Email    string
	Key      string // the applicant's match key, as workflow.ApplicantKeys builds it
	Address  string // the applicant's postal address
	Received time.Time
	Subject  string
	Text     string
	Topic    int
	Person   int // who wrote it
	Family   int // letters of one family are one letter sent again; a fresh letter starts one
	Kind     Kind
}

// Kind says how a letter came about.
type Kind int

// The kinds of letters.
const (
	// Fresh is a new letter.
	Fresh Kind = iota
	// Resent is a letter sent again by its author within the window: a duplicate.
	Resent
	// LateResent is a letter sent again after the window: not a duplicate.
	LateResent
	// Campaign is another person's copy of a letter: similar, not a duplicate.
	Campaign
	// SameTopic is a new letter of the same person on the same topic: not a duplicate.
	SameTopic
)

// Duplicate reports whether two letters are duplicates by the truth: one letter of one
// person, received within Window.
func Duplicate(a, b *Letter) bool {
	d := a.Received.Sub(b.Received)
	return a.Family == b.Family && a.Person == b.Person && d <= Window && d >= -Window
}

// person is one applicant.
type person struct {
	surname, given, patronymic string
	email, phone               string
	town, street, streetType   string
	house, flat                int
}

// draft is a letter in parts, kept so that it can be sent again.
type draft struct {
	l                 Letter
	greeting, intro   string
	body, requests    []string
	closing           string
	detail            map[string]string
	initials, noYo    bool
	quotes, oneBlock  bool
	extra             []string
	typos             int
	typoSeed          uint64
	signatureInitials bool
}

// Generator makes letters; the same seed gives the same letters.
type Generator struct {
	rng    *rand.Rand
	people []person
	recent []*draft // the last letters, to be sent again
	next   int      // letters made
	start  time.Time
	family int
}

// recentLetters is how many of the last letters may be sent again.
const recentLetters = 400

// New returns a generator.
func New(seed uint64) *Generator {
	return &Generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		start: time.Date(2025, 1, 9, 9, 0, 0, 0, time.UTC)}
}

// Set returns n letters.
func Set(seed uint64, n int) []Letter {
	g := New(seed)
	out := make([]Letter, n)
	for i := range out {
		out[i] = g.Next()
	}
	return out
}

// Next returns the next letter: mostly fresh ones; a fifth are sent again within the window,
// and a few are sent again late, copied by another person, or new letters of the same person
// on the same topic.
func (g *Generator) Next() Letter {
	g.next++
	p := g.rng.Float64()
	var d *draft
	switch {
	case len(g.recent) < 20 || p < 0.68:
		d = g.fresh(g.newPerson(), g.rng.IntN(len(topics)), g.start.Add(time.Duration(g.next)*4*time.Hour))
	case p < 0.88:
		d = g.resend(g.pick(), Resent)
	case p < 0.90:
		d = g.resend(g.pick(), LateResent)
	case p < 0.95:
		d = g.campaign(g.pick())
	default:
		orig := g.pick()
		d = g.fresh(orig.l.Person, orig.l.Topic, orig.l.Received.Add(time.Duration(1+g.rng.IntN(40))*24*time.Hour))
		d.l.Kind = SameTopic
	}
	if len(g.recent) == recentLetters {
		g.recent[g.rng.IntN(recentLetters)] = d
	} else {
		g.recent = append(g.recent, d)
	}
	return d.letter(g)
}

func (g *Generator) pick() *draft { return g.recent[g.rng.IntN(len(g.recent))] }

func (g *Generator) id() uuid.UUID {
	var id uuid.UUID
	for i := range id {
		id[i] = byte(g.rng.Uint32())
	}
	id[6] = id[6]&0x0f | 0x40
	id[8] = id[8]&0x3f | 0x80
	return id
}

func (g *Generator) one(list []string) string { return list[g.rng.IntN(len(list))] }

// newPerson adds an applicant and returns its number.
func (g *Generator) newPerson() int {
	female := g.rng.IntN(2) == 0
	sur := g.one(surnames)
	pat := patronymics[g.rng.IntN(len(patronymics))]
	p := person{surname: sur, given: g.one(maleNames), patronymic: pat[0]}
	if female {
		p.surname, p.given, p.patronymic = feminine(sur), g.one(femaleNames), pat[1]
	}
	p.email = fmt.Sprintf("%s%d@%s", translit(sur), g.rng.IntN(1000), g.one(mailHosts))
	p.phone = fmt.Sprintf("+7 9%02d %03d-%02d-%02d", g.rng.IntN(100), g.rng.IntN(1000), g.rng.IntN(100), g.rng.IntN(100))
	p.town, p.street = g.one(towns), g.one(streets)
	p.streetType = g.one([]string{"ул.", "ул.", "ул.", "ул.", "улица", "улица"})
	p.house, p.flat = 1+g.rng.IntN(120), 1+g.rng.IntN(180)
	g.people = append(g.people, p)
	return len(g.people) - 1
}

// fresh writes a new letter of person pi on topic t.
func (g *Generator) fresh(pi, t int, received time.Time) *draft {
	tp := &topics[t]
	g.family++
	d := &draft{l: Letter{ID: g.id(), Received: received, Subject: tp.subject, Topic: t, Person: pi, Family: g.family}}
	d.detail = g.details(&g.people[pi])
	d.greeting = g.expand(g.one(greetings), d.detail)
	d.intro = g.expand(g.one(intros), d.detail)
	n := 3 + g.rng.IntN(4)
	for _, i := range g.rng.Perm(len(tp.body))[:min(n, len(tp.body))] {
		d.body = append(d.body, g.style(g.expand(tp.body[i], d.detail)))
	}
	d.requests = append(d.requests, g.expand(g.one(tp.requests), d.detail))
	if g.rng.IntN(2) == 0 {
		d.requests = append(d.requests, g.expand(g.one(genericRequests), d.detail))
	}
	d.closing = g.one(closings)
	d.signatureInitials = g.rng.IntN(4) == 0
	d.noYo = g.rng.IntN(3) == 0 // many people never type ё
	d.quotes = g.rng.IntN(4) == 0
	return d
}

// style puts a writer's own words into a sentence: people who write on one topic use the
// same facts, not the same sentences.
func (g *Generator) style(sentence string) string {
	words := strings.Split(sentence, " ")
	out := make([]string, 0, len(words)+4)
	for i, w := range words {
		if i > 0 && g.rng.IntN(7) == 0 {
			out = append(out, g.one(fillers))
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// resend sends a letter again, as people do.
func (g *Generator) resend(orig *draft, kind Kind) *draft {
	d := *orig
	d.l.ID, d.l.Kind = g.id(), kind
	days := 1 + g.rng.IntN(55)
	if kind == LateResent {
		days = 65 + g.rng.IntN(120)
	}
	d.l.Received = orig.l.Received.Add(time.Duration(days)*24*time.Hour + time.Duration(g.rng.IntN(600))*time.Minute)
	d.body = append([]string(nil), orig.body...)
	d.extra = append([]string(nil), orig.extra...)
	changes := 0
	for changes < 2 {
		if g.rng.IntN(2) == 0 { // reordered sentences
			g.rng.Shuffle(len(d.body), func(i, j int) { d.body[i], d.body[j] = d.body[j], d.body[i] })
			changes++
		}
		if g.rng.IntN(2) == 0 {
			d.typos, d.typoSeed = 1+g.rng.IntN(3), g.rng.Uint64()
			changes++
		}
		if g.rng.IntN(2) == 0 { // another greeting and closing
			d.greeting = g.expand(g.one(greetings), d.detail)
			d.closing = g.one(closings)
			changes++
		}
		if g.rng.IntN(3) == 0 {
			d.initials, d.signatureInitials = true, true
			changes++
		}
		if g.rng.IntN(3) == 0 {
			d.noYo = !d.noYo
			changes++
		}
		if g.rng.IntN(3) == 0 { // a paragraph added
			d.extra = append(d.extra, g.expand(g.one(repeats), d.detail))
			changes++
		}
		if g.rng.IntN(4) == 0 {
			d.quotes = !d.quotes
			changes++
		}
		if g.rng.IntN(4) == 0 {
			d.oneBlock = !d.oneBlock
			changes++
		}
		if len(d.body) > 3 && g.rng.IntN(6) == 0 { // a sentence left out
			i := g.rng.IntN(len(d.body))
			d.body = append(d.body[:i:i], d.body[i+1:]...)
			changes++
		}
	}
	return &d
}

// campaign is another person's copy of a letter, with their own greeting and signature.
func (g *Generator) campaign(orig *draft) *draft {
	d := *orig
	d.l.ID, d.l.Kind, d.l.Person = g.id(), Campaign, g.newPerson()
	d.l.Received = orig.l.Received.Add(time.Duration(g.rng.IntN(20*24)) * time.Hour)
	d.detail = g.details(&g.people[d.l.Person])
	for _, k := range []string{"org", "school", "clinic", "route", "street", "date", "year", "month", "num"} {
		d.detail[k] = orig.detail[k] // the copied text keeps what it says
	}
	d.greeting = g.expand(g.one(greetings), d.detail)
	d.intro = g.expand(g.one(intros), d.detail)
	d.closing = g.one(closings)
	return &d
}

// details are the facts a letter's templates name.
func (g *Generator) details(p *person) map[string]string {
	full := p.surname + " " + p.given + " " + p.patronymic
	initials := p.surname + " " + firstLetter(p.given) + "." + firstLetter(p.patronymic) + "."
	house, flat := fmt.Sprint(p.house), fmt.Sprint(p.flat)
	addr := g.one([]string{
		p.streetType + " " + p.street + ", д. " + house + ", кв. " + flat,
		p.streetType + " " + p.street + ", " + house + "-" + flat,
		p.streetType + " " + p.street + ", дом " + house + ", квартира " + flat,
		"г. " + p.town + ", " + p.streetType + " " + p.street + ", д. " + house,
		p.streetType + " " + p.street + " " + house,
	})
	return map[string]string{
		"fullname": full, "initials": initials, "phone": p.phone, "town": p.town,
		"addr": addr, "street": p.street, "house": house, "house2": fmt.Sprint(1 + g.rng.IntN(120)),
		"flat": flat, "flat2": fmt.Sprint(1 + g.rng.IntN(180)), "entrance": fmt.Sprint(1 + g.rng.IntN(6)),
		"date": g.date(), "month": g.one(months), "year": fmt.Sprint(2015 + g.rng.IntN(10)),
		"num": fmt.Sprint(2 + g.rng.IntN(98)), "temp": fmt.Sprint(11 + g.rng.IntN(7)),
		"days": fmt.Sprint(5 + g.rng.IntN(25)), "org": g.one(orgs), "school": fmt.Sprint(1 + g.rng.IntN(60)),
		"clinic": fmt.Sprint(1 + g.rng.IntN(12)), "route": fmt.Sprint(1 + g.rng.IntN(90)),
		"child": g.one(childNames) + ", " + fmt.Sprint(2019+g.rng.IntN(5)) + " года рождения",
		"age":   fmt.Sprint(68 + g.rng.IntN(25)),
	}
}

func (g *Generator) date() string {
	day, month := 1+g.rng.IntN(28), g.rng.IntN(12)
	if g.rng.IntN(2) == 0 {
		return fmt.Sprintf("%02d.%02d.2025", day, month+1)
	}
	return fmt.Sprintf("%d %s", day, monthsGenitive[month])
}

func firstLetter(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	return string(r)
}

// letter assembles the draft's text and card.
func (d *draft) letter(g *Generator) Letter {
	l := d.l
	p := &g.people[l.Person]
	l.Email = p.email
	l.Name = d.detail["fullname"]
	if d.initials {
		l.Name = d.detail["initials"]
	}
	l.Key = strings.ToLower(strings.ReplaceAll(p.surname+" "+firstLetter(p.given)+" "+firstLetter(p.patronymic), "ё", "е")) + "|email:" + p.email
	l.Address = fmt.Sprintf("%s, %s %s, д. %d, кв. %d", p.town, p.streetType, p.street, p.house, p.flat)

	sig := d.detail["fullname"]
	if d.signatureInitials {
		sig = d.detail["initials"]
	}
	vars := map[string]string{"signature": sig, "phone": p.phone}
	var paras []string
	if d.greeting != "" {
		paras = append(paras, d.greeting)
	}
	body := append([]string(nil), d.body...)
	if d.intro != "" {
		body = append([]string{d.intro}, body...)
	}
	cut := (len(body) + 1) / 2
	paras = append(paras, strings.Join(body[:cut], " "), strings.Join(body[cut:], " "))
	if len(d.extra) > 0 {
		paras = append(paras, strings.Join(d.extra, " "))
	}
	paras = append(paras, strings.Join(d.requests, " "))
	if d.closing != "" {
		paras = append(paras, g.expandWith(d.closing, vars))
	}
	sep := "\n"
	if d.oneBlock {
		sep = " "
	}
	text := strings.Join(paras, sep)
	if d.noYo {
		text = strings.NewReplacer("ё", "е", "Ё", "Е").Replace(text)
	}
	if d.quotes {
		text = strings.NewReplacer("«", "\"", "»", "\"", "„", "\"", "“", "\"").Replace(text)
	}
	if d.typos > 0 {
		text = typos(text, d.typos, rand.New(rand.NewPCG(d.typoSeed, 1)))
	}
	l.Text = text
	return l
}

func (g *Generator) expand(tmpl string, detail map[string]string) string {
	return g.expandWith(tmpl, detail)
}

// expandWith expands a template: {a|b} is one of the alternatives, [x] is x or nothing, $name
// is vars[name]; an unknown name stays as it is.
func (g *Generator) expandWith(tmpl string, vars map[string]string) string {
	var b strings.Builder
	g.expandInto(&b, tmpl, vars)
	return strings.Join(strings.Fields(b.String()), " ")
}

func (g *Generator) expandInto(b *strings.Builder, s string, vars map[string]string) {
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case '{', '[':
			end := matching(s, i)
			inner := s[i+1 : end]
			if c == '{' {
				alts := splitTop(inner)
				g.expandInto(b, alts[g.rng.IntN(len(alts))], vars)
			} else if g.rng.IntN(2) == 0 {
				g.expandInto(b, inner, vars)
			}
			i = end + 1
		case '$':
			j := i + 1
			for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			if v, ok := vars[s[i+1:j]]; ok {
				b.WriteString(v)
			} else {
				b.WriteString(s[i:j])
			}
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
}

// matching is the index of the bracket that closes the one at i.
func matching(s string, i int) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return j
			}
		}
	}
	panic("lettergen: unbalanced template: " + s)
}

// splitTop splits s at the '|' not inside brackets.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for j := 0; j < len(s); j++ {
		switch s[j] {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		case '|':
			if depth == 0 {
				out = append(out, s[start:j])
				start = j + 1
			}
		}
	}
	return append(out, s[start:])
}

// typos makes n typing errors in words of five letters or more: two letters swapped, one
// dropped, one doubled, or one replaced by a neighbour on the keyboard.
func typos(text string, n int, rng *rand.Rand) string {
	words := strings.Split(text, " ")
	for range n {
		i := rng.IntN(len(words))
		w := []rune(words[i])
		if len(w) < 5 {
			continue
		}
		k := 1 + rng.IntN(len(w)-2)
		switch rng.IntN(4) {
		case 0:
			w[k], w[k+1] = w[k+1], w[k]
		case 1:
			w = append(w[:k], w[k+1:]...)
		case 2:
			w = append(w[:k+1], w[k:]...)
		default:
			if r, ok := keyboardNeighbour[w[k]]; ok {
				w[k] = r
			}
		}
		words[i] = string(w)
	}
	return strings.Join(words, " ")
}
