package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
)

// outcome is how an appeal's consideration goes.
type outcome uint8

const (
	outFull     outcome = iota // the full lifecycle, on time
	outLate                    // the full lifecycle, the report and the answer after the term
	outExtended                // the term extended (art. 12 p.2), then the full lifecycle
	outArt11                   // an art. 11 outcome (left without answer or returned), then closed
	outRefused                 // registration refused: not a 59-FZ appeal
)

// mixBlock is the block of appeals the mix is exact in: of every mixBlock consecutive appeals,
// mixRefused are refused, mixArt11 get an art. 11 outcome, mixExtended are extended, mixLate
// answered late, and mixForwarded (independently of the outcome) came from another body.
const (
	mixBlock     = 100
	mixRefused   = 1
	mixArt11     = 3
	mixExtended  = 5
	mixLate      = 2
	mixForwarded = 10
)

// grounds are the art. 11 grounds the generator decides on: none needs more than the decision
// the law asks for.
var grounds = []workflow.Ground{workflow.GroundNoEssence, workflow.GroundUnreadable, workflow.GroundAbusive,
	workflow.GroundCourtDecision, workflow.GroundComplaintAgainstBody}

// plan is what the scenario does with one appeal; cheap to compute again from the seed and
// the appeal's index.
type plan struct {
	out       outcome
	forwarded bool
	topics    [2]int8 // the topics' indices; topics[1] < 0 for one question
	executor  int     // the executor's index
	ground    workflow.Ground
	result    appeal.QuestionStatus
}

// codes are the plan's question codes.
func (p plan) codes() []string {
	if p.topics[1] < 0 {
		return []string{topics[p.topics[0]].code}
	}
	return []string{topics[p.topics[0]].code, topics[p.topics[1]].code}
}

// generator makes the synthetic appeals: every value comes from the seed and the appeal's
// index, so appeal i is the same whatever else is generated, in whatever order.
type generator struct {
	seed    uint64
	people  int // the applicants' population: fewer than the appeals, so some write again
	weights []int
	total   int
	execs   int
}

func newGenerator(seed uint64, n int) *generator {
	g := &generator{seed: seed, people: max(1, n*7/10), execs: 200}
	for _, t := range topics {
		g.total += t.weight
		g.weights = append(g.weights, g.total)
	}
	return g
}

// rng is a random stream for one purpose (stream) of one item.
func (g *generator) rng(stream, i uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed^stream*0x9e3779b97f4a7c15, i))
}

// The generator's streams.
const (
	streamBlock uint64 = iota + 1
	streamPlan
	streamCard
	streamPerson
)

func (g *generator) topic(r *rand.Rand) int8 {
	x := r.IntN(g.total)
	for i, w := range g.weights {
		if x < w {
			return int8(i)
		}
	}
	return int8(len(topics) - 1)
}

// perm fills p with r.Perm(mixBlock), the same numbers without allocating them: plan runs
// for every command.
func perm(r *rand.Rand, p *[mixBlock]int) {
	for i := range p {
		p[i] = i
	}
	r.Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
}

// plan returns appeal i's plan.
func (g *generator) plan(i int) plan {
	block := g.rng(streamBlock, uint64(i/mixBlock))
	var slots, fwd [mixBlock]int
	perm(block, &slots)
	perm(block, &fwd)
	s := slots[i%mixBlock]
	p := plan{forwarded: fwd[i%mixBlock] < mixForwarded}
	switch {
	case s < mixRefused:
		p.out = outRefused
	case s < mixRefused+mixArt11:
		p.out = outArt11
	case s < mixRefused+mixArt11+mixExtended:
		p.out = outExtended
	case s < mixRefused+mixArt11+mixExtended+mixLate:
		p.out = outLate
	}
	r := g.rng(streamPlan, uint64(i))
	p.topics = [2]int8{g.topic(r), -1}
	if r.IntN(10) < 3 {
		if t := g.topic(r); t != p.topics[0] {
			p.topics[1] = t
		}
	}
	p.executor = r.IntN(g.execs)
	p.ground = grounds[r.IntN(len(grounds))]
	switch x := r.IntN(100); {
	case x < 40:
		p.result = appeal.StatusSupported
	case x < 85:
		p.result = appeal.StatusExplained
	default:
		p.result = appeal.StatusNotSupported
	}
	return p
}

// person returns applicant k of the population: a citizen with a name, an address, an e-mail,
// a phone and a personal account.
func (g *generator) person(k int) appeal.Applicant {
	r := g.rng(streamPerson, uint64(k))
	female := r.IntN(2)
	sur := surnames[r.IntN(len(surnames))][female]
	given := maleNames[r.IntN(len(maleNames))]
	if female == 1 {
		given = femaleNames[r.IntN(len(femaleNames))]
	}
	patr := fathers[r.IntN(len(fathers))][female]
	addr := fmt.Sprintf("%d, %s, %s, д. %d, кв. %d", 140000+r.IntN(4000), cities[r.IntN(len(cities))],
		streets[r.IntN(len(streets))], 1+r.IntN(120), 1+r.IntN(300))
	email := translit(given)[:1] + "." + translit(sur) + strconv.Itoa(k%997) + "@" + mailDomains[r.IntN(len(mailDomains))]
	phone := fmt.Sprintf("+7 (9%02d) %03d-%02d-%02d", r.IntN(100), r.IntN(1000), r.IntN(100), r.IntN(100))
	return appeal.Applicant{Surname: sur, GivenName: given, Patronymic: patr, PostalAddress: addr, Email: email,
		Phone: phone, Account: "esia-" + strconv.Itoa(1_000_000_000+k), Consent: true}
}

func translit(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		b.WriteString(latin[r])
	}
	return b.String()
}

// card returns appeal i's draft card as it arrives at receivedAt, by the plan's channel.
func (g *generator) card(i int, p plan, receivedAt time.Time) *appeal.Appeal {
	r := g.rng(streamCard, uint64(i))
	person := g.person(r.IntN(g.people))
	var ch appeal.Channel
	switch x := r.IntN(100); {
	case p.forwarded && x < 70:
		ch = appeal.ChannelOtherBody
	case p.forwarded:
		ch = appeal.ChannelMEDO
	case x < 45:
		ch = appeal.ChannelEPGU
	case x < 70:
		ch = appeal.ChannelWebForm
	case x < 90:
		ch = appeal.ChannelPost
	default:
		ch = appeal.ChannelReception
	}
	a := appeal.New(uuid.Nil, receivedAt, ch)
	switch x := r.IntN(10); {
	case x < 5:
		a.Kind = appeal.Complaint
	case x < 9:
		a.Kind = appeal.Statement
	default:
		a.Kind = appeal.Proposal
	}
	a.Text = g.text(r, p, person.PostalAddress)
	day := deadline.DateOf(receivedAt, msk)
	switch {
	case ch == appeal.ChannelEPGU:
		person.AnswerChannel = appeal.AnswerToAccount
	case ch == appeal.ChannelWebForm || ch == appeal.ChannelMEDO:
		a.Identified = ch == appeal.ChannelWebForm
		a.Electronic = ch == appeal.ChannelMEDO
		person.AnswerChannel, person.Account = appeal.AnswerByEmail, ""
	default: // on paper: by post, handed in, or sent on on paper
		a.Addressee = addressees[r.IntN(len(addressees))]
		a.Signed = true
		a.Dated = day.AddDays(-1 - r.IntN(5))
		person.AnswerChannel, person.Account = appeal.AnswerByPost, ""
	}
	if ch.FromBody() {
		a.CoverLetter = &appeal.CoverLetter{Sender: forwarders[r.IntN(len(forwarders))],
			Number: fmt.Sprintf("%d-%02d/%d", 1+r.IntN(40), 1+r.IntN(12), 10_000+r.IntN(90_000)), Date: day.AddDays(-r.IntN(4))}
	}
	a.Applicants = []appeal.Applicant{person}
	return a
}

// text writes a letter about the plan's topics from the applicant at addr.
func (g *generator) text(r *rand.Rand, p plan, addr string) string {
	var b strings.Builder
	put := func(tmpl string) {
		if tmpl == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		expand(&b, tmpl, r, addr)
	}
	put(pick(r, greetings))
	put(pick(r, intros))
	for k, t := range p.topics {
		if t < 0 {
			break
		}
		lines := topics[t].lines
		n := 2 + r.IntN(len(lines)-1)
		if k > 0 {
			n = 1 + r.IntN(2)
		}
		for _, j := range r.Perm(len(lines))[:min(n, len(lines))] {
			put(lines[j])
		}
		for range r.IntN(3) + 1 - k {
			put(pick(r, filler))
		}
	}
	put(pick(r, requests))
	put(pick(r, closings))
	return b.String()
}

// answer is the text of the answer to a letter about topic t.
func answer(r *rand.Rand, t int8) string {
	return "По вашему обращению проведена проверка. " + pick(r, topics[t].answers)
}

func pick(r *rand.Rand, ss []string) string { return ss[r.IntN(len(ss))] }

// expand writes tmpl with its placeholders filled (see the templates in words.go); {x|y|z} is
// one of the alternatives, which may hold placeholders too.
func expand(b *strings.Builder, tmpl string, r *rand.Rand, addr string) {
	for len(tmpl) > 0 {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return
		}
		b.WriteString(tmpl[:i])
		end := closing(tmpl, i)
		inner := tmpl[i+1 : end]
		tmpl = tmpl[end+1:]
		switch inner {
		case "A":
			b.WriteString(addr)
		case "N":
			b.WriteString(strconv.Itoa(2 + r.IntN(11)))
		case "M":
			b.WriteString(months[r.IntN(len(months))])
		case "D":
			b.WriteString(strconv.Itoa(1 + r.IntN(28)))
			b.WriteByte(' ')
			b.WriteString(months[r.IntN(len(months))])
		case "K":
			b.WriteString(strconv.Itoa(100_000 + r.IntN(900_000)))
		case "E":
			b.WriteString(strconv.Itoa(1 + r.IntN(12)))
		case "F":
			b.WriteString(strconv.Itoa(1 + r.IntN(300)))
		case "S":
			b.WriteString(strconv.Itoa(300 + r.IntN(30_000)))
			b.WriteString(" рублей")
		case "Y":
			b.WriteString(strconv.Itoa(60 + r.IntN(35)))
		case "Q":
			b.WriteString(streets[r.IntN(len(streets))])
		default:
			alts := alternatives(inner)
			expand(b, alts[r.IntN(len(alts))], r, addr)
		}
	}
}

// closing is the index of the brace that closes the one at open.
func closing(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	panic("scale: unbalanced template: " + s) // the templates are constants of this program
}

// alternatives splits s at the bars outside braces.
func alternatives(s string) []string {
	var out []string
	depth, from := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
		case '|':
			if depth == 0 {
				out = append(out, s[from:i])
				from = i + 1
			}
		}
	}
	return append(out, s[from:])
}
