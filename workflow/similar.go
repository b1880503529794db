package workflow

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/appeal/similar"
	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/google/uuid"
)

// Related is an appeal found like this one (похожее или повторное обращение), with why: the
// similarity of the texts, a shared applicant or building, a few shared phrases.
type Related struct {
	// ID is the other appeal's id.
	ID uuid.UUID `json:"id"`
	// Score is the texts' similarity, 0 to 1.
	Score float64 `json:"score"`
	// SameApplicant and SharedAddress say what else the two share.
	SameApplicant bool `json:"sameApplicant,omitempty"`
	SharedAddress bool `json:"sharedAddress,omitempty"`
	// Phrases are a few shared phrases, as stems.
	Phrases []string `json:"phrases,omitempty"`
}

// Link is a duplicate a person linked the appeal to (two-way: each appeal has the other's).
type Link struct {
	// With is the other appeal; By and At who linked them and when.
	With uuid.UUID `json:"with"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
}

// document is the record's document for the similarity index: its text's signature and its
// applicants' keys — each of ApplicantKeys, and the name alone, so that a letter re-sent
// without the e-mail still shares a key.
func document(rec *Record, n *textnorm.Normalizer) similar.Document {
	var keys []string
	for _, p := range rec.Appeal.Applicants {
		keys = append(keys, ApplicantKeys(p)...)
		name := appeal.Applicant{Kind: p.Kind, Surname: p.Surname, GivenName: p.GivenName, Patronymic: p.Patronymic,
			OrganizationName: p.OrganizationName}
		keys = append(keys, ApplicantKeys(name)...)
	}
	return similar.NewDocument(rec.Appeal, slices.Compact(slices.Sorted(slices.Values(keys))), n)
}

// relate sets the record's duplicate candidates and similar appeals from the index at
// receipt, by its document doc, and puts doc in the index once the record is saved. The card
// does not change between receipt and registration, so the registered record carries the
// same lists; an appeal received later that repeats this one names this one in its own. The
// engine never links, closes or merges by itself.
func (c *change) relate(doc similar.Document) {
	res := c.e.similar.Query(doc)
	c.rec.Duplicates, c.rec.Similar = related(res.Duplicates), related(res.Similar)
	c.changed("duplicates", "similar")
	c.after(func() {
		_ = c.e.similar.Put(doc) // a full index keeps the rest; Warm refills it
	})
}

func related(ms []similar.Match) []Related {
	if len(ms) == 0 {
		return nil
	}
	out := make([]Related, len(ms))
	for i, m := range ms {
		out[i] = Related{ID: m.ID, Score: m.Score, SameApplicant: m.SameApplicant, SharedAddress: m.SharedAddress,
			Phrases: m.Phrases}
	}
	return out
}

// LinkInput names the other appeal of a duplicate link.
type LinkInput struct {
	// With is the other appeal's id.
	With uuid.UUID
}

// LinkDuplicate links two appeals as duplicates of each other (связь с повторным обращением),
// as a person decides: each appeal's record names the other, with an event on each. It is two
// saves: when the second fails the first stands, and running the command again completes the
// link (linking linked appeals writes nothing). The library never links, closes or merges
// by itself.
func (e *Engine) LinkDuplicate(ctx context.Context, actor Actor, id uuid.UUID, in LinkInput) (*Record, error) {
	return e.link(ctx, actor, id, in.With, true)
}

// UnlinkDuplicate undoes a link (LinkDuplicate), on both appeals.
func (e *Engine) UnlinkDuplicate(ctx context.Context, actor Actor, id uuid.UUID, in LinkInput) (*Record, error) {
	return e.link(ctx, actor, id, in.With, false)
}

func (e *Engine) link(ctx context.Context, actor Actor, id, with uuid.UUID, on bool) (*Record, error) {
	name := CmdLink
	if !on {
		name = CmdUnlink
	}
	if with == id || with == uuid.Nil {
		return nil, fmt.Errorf("workflow: %s %s: %w", name, id, refuse(name, "with", RuleLinkOther, nil))
	}
	if _, err := e.store.Get(ctx, with); err != nil {
		return nil, fmt.Errorf("workflow: %s %s: with: %w", name, id, err)
	}
	cmd := command{name: name, states: append([]appeal.State{appeal.StateReceived, appeal.StateRefused}, afterRegistration...)}
	step := func(a, b uuid.UUID) (*Record, error) {
		cur, err := e.store.Get(ctx, a)
		if err != nil {
			return nil, fmt.Errorf("workflow: %s %s: %w", name, a, err)
		}
		if slices.ContainsFunc(cur.Links, func(l Link) bool { return l.With == b }) == on {
			// Already as asked: no event; the actor must still be allowed the command.
			if err := e.authorize(ctx, actor, cmd, cur); err != nil {
				return nil, fmt.Errorf("workflow: %s %s: %w", name, a, err)
			}
			return cur, nil
		}
		cmd := cmd
		cmd.mutate = func(c *change) error {
			if k := slices.IndexFunc(c.rec.Links, func(l Link) bool { return l.With == b }); on && k < 0 {
				c.rec.Links = append(c.rec.Links, Link{With: b, By: c.actor.ID, At: c.now})
			} else if !on && k >= 0 {
				c.rec.Links = slices.Delete(c.rec.Links, k, k+1)
			}
			c.ev.Reason = b.String()
			c.changed("links")
			return nil
		}
		return e.exec(ctx, actor, cur, cmd, execSave)
	}
	rec, err := step(id, with)
	if err != nil {
		return nil, err
	}
	if _, err := step(with, id); err != nil {
		return nil, err
	}
	return rec, nil
}

// Earlier is one earlier appeal of the same applicant, as the applicant's history shows it.
type Earlier struct {
	// ID, Number and ReceivedAt name the appeal; State is where it stands.
	ID         uuid.UUID
	Number     string
	ReceivedAt time.Time
	State      appeal.State
	// Questions are its questions with their statuses (the result of each).
	Questions []appeal.Question
	// Answered reports that the answer was sent.
	Answered bool
	// Ground is the art. 11 outcome's ground, if it had one.
	Ground Ground
}

// Repeated is the repeated-appeal hint (art. 11 p.5): a question of this appeal that the body
// answered on the merits at least twice before, with the numbers of those appeals.
type Repeated struct {
	// Code is the question's code.
	Code string
	// Numbers are the registration numbers of the earlier appeals answering it, oldest first.
	Numbers []string
}

// ApplicantHistory is what the body has had from the appeal's applicant before (поднять
// историю): every earlier appeal, oldest first, and the questions answered on the merits at
// least twice, for which an end of correspondence (art. 11 p.5) may be decided.
type ApplicantHistory struct {
	// Earlier are the earlier appeals, oldest first.
	Earlier []Earlier
	// Repeated are the questions answered on the merits at least twice before.
	Repeated []Repeated
}

// History of the applicant: the earlier appeals of any of the appeal's applicants (matched by
// ApplicantKeys), received before it, that the actor may read.
func (e *Engine) ApplicantHistory(ctx context.Context, actor Actor, id uuid.UUID) (ApplicantHistory, error) {
	rec, err := e.Get(ctx, actor, id)
	if err != nil {
		return ApplicantHistory{}, err
	}
	earlier, err := e.earlier(ctx, rec, func(r *Record) bool {
		return e.authorize(ctx, actor, command{name: CmdRead}, r) == nil
	})
	if err != nil {
		return ApplicantHistory{}, fmt.Errorf("workflow: applicant history %s: %w", id, err)
	}
	h := ApplicantHistory{}
	for _, r := range earlier {
		ans := r.Answer != nil && !r.Answer.SentAt.IsZero()
		ea := Earlier{ID: r.Appeal.ID, Number: r.Appeal.Number, ReceivedAt: r.Appeal.ReceivedAt, State: r.Appeal.State,
			Questions: slices.Clone(r.Appeal.Questions), Answered: ans}
		if r.Outcome != nil {
			ea.Ground = r.Outcome.Ground
		}
		h.Earlier = append(h.Earlier, ea)
	}
	for _, q := range rec.Appeal.Questions {
		if nums := answeredOn(earlier, rec, q.Code); len(nums) >= 2 {
			h.Repeated = append(h.Repeated, Repeated{Code: q.Code, Numbers: nums})
		}
	}
	return h, nil
}

// earlier returns the records of the appeal's applicants (any of ApplicantKeys) received
// before it (receivedBefore), oldest first, that keep says to keep.
func (e *Engine) earlier(ctx context.Context, rec *Record, keep func(*Record) bool) ([]*Record, error) {
	seen := map[uuid.UUID]bool{rec.Appeal.ID: true}
	var out []*Record
	for _, p := range rec.Appeal.Applicants {
		for _, key := range ApplicantKeys(p) {
			for r, err := range e.store.List(ctx, Filter{Applicant: key}) {
				if err != nil {
					return nil, err
				}
				if seen[r.Appeal.ID] || !receivedBefore(r, rec) || !keep(r) {
					continue
				}
				seen[r.Appeal.ID] = true
				out = append(out, r)
			}
		}
	}
	slices.SortFunc(out, func(a, b *Record) int { return compareIDs(a.Appeal.ID, b.Appeal.ID) })
	return out, nil
}

// receivedBefore reports whether a was received before b; of two received at one moment, the
// one filed first (ids are time-ordered).
func receivedBefore(a, b *Record) bool {
	if c := a.Appeal.ReceivedAt.Compare(b.Appeal.ReceivedAt); c != 0 {
		return c < 0
	}
	return compareIDs(a.Appeal.ID, b.Appeal.ID) < 0
}

// answeredOn returns the numbers of the earlier records that this body answered on the merits
// (the answer sent, the question with a result) on the question code, registered before rec.
func answeredOn(earlier []*Record, rec *Record, code string) []string {
	var nums []string
	for _, r := range earlier {
		if r.Answer == nil || r.Answer.SentAt.IsZero() || !r.Appeal.RegisteredAt.Before(rec.Appeal.RegisteredAt) {
			continue
		}
		if k := questionIndex(r.Appeal, code); k >= 0 && r.Appeal.Questions[k].Status.Result() {
			nums = append(nums, r.Appeal.Number)
		}
	}
	return nums
}

func cloneRelated(rs []Related) []Related {
	if rs == nil {
		return nil
	}
	out := make([]Related, len(rs))
	for i, r := range rs {
		r.Phrases = slices.Clone(r.Phrases)
		out[i] = r
	}
	return out
}
