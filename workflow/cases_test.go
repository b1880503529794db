package workflow_test

import (
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// receiveCard files a card of the test's own and returns its id.
func (f *fixture) receiveCard(a *appeal.Appeal) uuid.UUID {
	f.t.Helper()
	rec, err := f.eng.Receive(f.ctx, clerk, workflow.Intake{Card: a})
	require.NoError(f.t, err)
	return rec.Appeal.ID
}

// emailCard is an appeal by e-mail after 30.03.2025, which a public body may not register
// (art. 4 p.1 as amended by 547-ФЗ).
func emailCard() *appeal.Appeal {
	a := card()
	a.Channel, a.Identified = appeal.ChannelEmail, false
	a.Applicants[0].Consent = false
	return a
}

// What is not an appeal is refused registration with a reason: its own terminal state, no
// number, no term missed, and, when asked, a notice saying how to file properly.
func TestRefuseRegistration(t *testing.T) {
	f := newFixture(t, func(o *workflow.Options) { o.Org.NameGenitive = "Администрации города N" })
	id := f.receiveCard(emailCard())
	_, err := f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{})
	require.ErrorIs(t, err, appeal.ErrInvalid, "547-ФЗ: e-mail is no channel for a body")

	f.clock.Add(5 * 24 * time.Hour) // past the 3-day registration term
	rec, err := f.eng.RefuseRegistration(f.ctx, clerk, id, workflow.RefusalInput{Reason: workflow.RefusalChannel, Notify: true})
	require.NoError(t, err)
	assert.Equal(t, appeal.StateRefused, rec.Appeal.State)
	assert.Empty(t, rec.Appeal.Number, "no number spent")
	assert.Empty(t, rec.Terms(), "it never had a term")
	ev := f.lastEvent(id)
	assert.Equal(t, workflow.CmdRefuse, ev.Command)
	assert.Equal(t, "channel", ev.Reason)
	assert.Empty(t, ev.Late, "a refusal is no missed registration")
	assert.Equal(t, "Отказано в регистрации", ev.Public.Stage)
	n := f.lastNotice(id)
	assert.Equal(t, workflow.KindRefusal, n.Kind)
	assert.Equal(t, workflow.ChannelEmail, n.To.Channel)
	assert.Contains(t, n.Body, "Госуслуг")
	assert.Contains(t, n.Body, "в адрес Администрации города N", "the genitive, from Organization")

	// Terminal: nothing more happens to it, and the worklist does not show it.
	_, err = f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{})
	assert.ErrorIs(t, err, appeal.ErrForbidden)
	items, err := f.eng.Worklist(f.ctx, auditor, workflow.Filter{}, f.clock.Now())
	require.NoError(t, err)
	assert.Empty(t, items)

	// Without Notify, nothing is sent; an unknown reason is refused.
	id2 := f.receiveCard(emailCard())
	before := f.snap(id2)
	_, err = f.eng.RefuseRegistration(f.ctx, clerk, id2, workflow.RefusalInput{Reason: "boring"})
	require.ErrorIs(t, err, workflow.ErrPrerequisite)
	assert.Equal(t, before, f.snap(id2))
	_, err = f.eng.RefuseRegistration(f.ctx, clerk, id2, workflow.RefusalInput{Reason: workflow.RefusalDuplicate, Note: "дубль"})
	require.NoError(t, err)
	assert.Equal(t, before.notices, len(f.store.Notifications(id2)))
}

// An anonymous appeal (art. 11 p.1) is registered without the applicant's requisites — only
// that card, the others are still checked — gets no notice and no answer, and when it reports
// an unlawful act it is forwarded within 7 days with no notice to anyone.
func TestAnonymousAppeal(t *testing.T) {
	f := newFixture(t)
	anon := card()
	anon.Applicants, anon.Anonymous = nil, true
	anon.Text = "Во дворе дома 7 по ул. Садовой продают наркотики, знаю кто."
	id := f.receiveCard(anon)
	res, err := f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{})
	require.NoError(t, err)
	assert.NotEmpty(t, res.Record.Appeal.Number)
	assert.Empty(t, f.store.Notifications(id), "no registration notice to nobody")

	nameless := card()
	nameless.Applicants[0].Surname = ""
	other := f.receiveCard(nameless)
	_, err = f.eng.Register(f.ctx, clerk, other, workflow.RegisterInput{})
	assert.ErrorIs(t, err, appeal.ErrInvalid, "another card without a surname is still refused")

	_, err = f.eng.Classify(f.ctx, clerk, id, []string{qUtilities})
	require.NoError(t, err)
	f.clock.Add(3 * 24 * time.Hour)
	rec, err := f.eng.Forward(f.ctx, clerk, id, workflow.ForwardInput{To: []workflow.Target{{Body: "ОМВД России по району"}}})
	require.NoError(t, err)
	assert.Equal(t, appeal.StateForwarded, rec.Appeal.State)
	assert.Empty(t, f.store.Notifications(id), "forwarded with no notice to anyone")
	assert.Empty(t, f.lastEvent(id).Late, "within 7 days of registration")

	// Without an unlawful act: left without an answer, no notice; never answered.
	id3 := f.receiveCard(func() *appeal.Appeal { a := card(); a.Applicants, a.Anonymous = nil, true; return a }())
	_, err = f.eng.Register(f.ctx, clerk, id3, workflow.RegisterInput{})
	require.NoError(t, err)
	_, err = f.eng.Classify(f.ctx, clerk, id3, []string{qUtilities})
	require.NoError(t, err)
	_, err = f.eng.DraftAnswer(f.ctx, manager, id3, workflow.AnswerInput{Text: "Ответ"})
	require.NoError(t, err)
	_, err = f.eng.SetResult(f.ctx, manager, id3, qUtilities, workflow.ResultInput{Status: appeal.StatusExplained})
	require.NoError(t, err)
	_, err = f.eng.Approve(f.ctx, manager, id3)
	require.NoError(t, err)
	_, err = f.eng.Send(f.ctx, clerk, id3, workflow.SendInput{Number: "1"})
	var pe *workflow.PrerequisiteError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, workflow.RuleNoAnswer, pe.Rule)
}

// Where the answer goes (art. 10 p.4, art. 7 p.3): a paper appeal's answer goes on paper even
// when the applicant prefers e-mail; a copy by e-mail is the host's choice, marked as a copy.
func TestAnswerGoesWhereTheLawSays(t *testing.T) {
	paper := func() *appeal.Appeal {
		a := card()
		a.Channel, a.Identified, a.Signed, a.Addressee = appeal.ChannelPost, false, true, "Глава города"
		a.Dated = deadline.NewDate(2025, time.November, 7)
		a.Applicants[0].AnswerChannel = appeal.AnswerByEmail
		return a
	}
	for _, c := range []struct {
		name     string
		card     func() *appeal.Appeal
		copies   bool
		channels []workflow.NoticeChannel
	}{
		{"paper by post: by post, whatever the preference", paper, false, []workflow.NoticeChannel{workflow.ChannelPost}},
		{"paper by post, the host copies to e-mail", paper, true, []workflow.NoticeChannel{workflow.ChannelPost, workflow.ChannelEmail}},
		{"web form: by e-mail", card, false, []workflow.NoticeChannel{workflow.ChannelEmail}},
		{"web form, paper asked for: by post", func() *appeal.Appeal {
			a := card()
			a.Applicants[0].AnswerChannel = appeal.AnswerByPost
			return a
		}, false, []workflow.NoticeChannel{workflow.ChannelPost}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, func(o *workflow.Options) { o.Org.CopyToPreferred = c.copies })
			id := f.receiveCard(c.card())
			_, err := f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{})
			require.NoError(t, err)
			var got []workflow.NoticeChannel
			for _, n := range f.store.Notifications(id) {
				got = append(got, n.To.Channel)
				assert.Equal(t, n.To.Channel != c.channels[0], n.To.Copy, "only the other channel is a copy")
			}
			assert.Equal(t, c.channels, got)
		})
	}
}

// Registering with the PIN puts it in the registration letter, beside the number: the only
// place it is shown in clear besides the command's result.
func TestPINInTheRegistrationNotice(t *testing.T) {
	f := newFixture(t)
	id := f.receiveCard(card())
	res, err := f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{IssuePIN: true})
	require.NoError(t, err)
	require.NotEmpty(t, res.PIN)
	n := f.lastNotice(id)
	assert.Equal(t, workflow.KindRegistration, n.Kind)
	assert.Contains(t, n.Body, res.PIN)
	assert.Contains(t, n.Body, res.Record.Appeal.Number)
	_, err = f.eng.StatusByPIN(f.ctx, workflow.LookupInput{Number: res.Record.Appeal.Number, PIN: res.PIN, Client: "c"})
	require.NoError(t, err)
	for _, ev := range f.history(id) {
		assert.NotContains(t, ev.Reason, res.PIN)
	}
	// Without IssuePIN the letter has no PIN line.
	id2 := f.receiveCard(card())
	_, err = f.eng.Register(f.ctx, clerk, id2, workflow.RegisterInput{})
	require.NoError(t, err)
	assert.NotContains(t, f.lastNotice(id2).Body, "ПИН")
}

func (f *fixture) history(id uuid.UUID) []workflow.Event {
	f.t.Helper()
	h, err := f.eng.History(f.ctx, auditor, id)
	require.NoError(f.t, err)
	return h
}

// Notice wording: the organization's cases come from Organization, the greeting is built in
// the template from the name parts, and a name's line breaks and control characters never
// reach it.
func TestNoticeWording(t *testing.T) {
	f := newFixture(t, func(o *workflow.Options) {
		o.Org.Name, o.Org.NamePrepositional = "Администрация города N", "Администрации города N"
	})
	a := card()
	a.Applicants[0].GivenName = "Мария\r\nBcc: all@example.org"
	a.Applicants[0].Patronymic = "Петровна\u202e"
	id := f.receiveCard(a)
	_, err := f.eng.Register(f.ctx, clerk, id, workflow.RegisterInput{})
	require.NoError(t, err)
	body := f.lastNotice(id).Body
	first := strings.SplitN(body, "\n", 2)[0]
	assert.Equal(t, "Уважаемый(ая) Мария Bcc: all@example.org Петровна!", first, "one clean line")
	assert.NotContains(t, body, "\u202e")
	assert.Contains(t, body, "в Администрации города N под №")

	// A host's own greeting, in its template.
	tmpl := mustTemplates(t, `{{define "greeting"}}Добрый день, {{.GivenName}}!{{end}}`)
	f2 := newFixture(t, func(o *workflow.Options) { o.Templates = tmpl })
	id2 := f2.receiveCard(card())
	_, err = f2.eng.Register(f2.ctx, clerk, id2, workflow.RegisterInput{})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(f2.lastNotice(id2).Body, "Добрый день, Мария!"))
}

// End of correspondence (art. 11 p.5) needs two earlier appeals of the same applicant on the
// same question answered on the merits by this body; the decision names them.
func TestEndOfCorrespondence(t *testing.T) {
	f := newFixture(t)
	var numbers []string
	for i := range 2 {
		id := f.appealAt(answered)
		rec, err := f.eng.Get(f.ctx, auditor, id)
		require.NoError(t, err)
		numbers = append(numbers, rec.Appeal.Number)
		f.clock.Add(24 * time.Hour)
		if i == 0 {
			once := f.appealAt(inExecution)
			_, err := f.eng.Decide(f.ctx, manager, once, workflow.OutcomeInput{Ground: workflow.GroundRepeated, Decision: "Решение"})
			require.ErrorIs(t, err, workflow.ErrPrerequisite, "one earlier answer is not «several times»")
		}
	}
	third := f.appealAt(inExecution)
	before := f.snap(third)

	// A different applicant's appeal on the same question does not count.
	f2 := newFixture(t)
	f2.appealAt(answered)
	other := card()
	other.Applicants[0] = appeal.Applicant{Surname: "Петров", GivenName: "Петр", Email: "petrov@example.ru", Consent: true}
	id := f2.receiveCard(other)
	_, err := f2.eng.Register(f2.ctx, clerk, id, workflow.RegisterInput{})
	require.NoError(t, err)
	_, err = f2.eng.Classify(f2.ctx, clerk, id, []string{qUtilities})
	require.NoError(t, err)
	_, err = f2.eng.Decide(f2.ctx, manager, id, workflow.OutcomeInput{Ground: workflow.GroundRepeated, Decision: "Решение"})
	require.ErrorIs(t, err, workflow.ErrPrerequisite)

	rec, err := f.eng.Decide(f.ctx, manager, third, workflow.OutcomeInput{Ground: workflow.GroundRepeated, Decision: "Решение № 5 о прекращении переписки"})
	require.NoError(t, err, "two earlier answers")
	assert.NotEqual(t, before, f.snap(third))
	assert.Equal(t, numbers, rec.Outcome.Earlier)
	assert.Equal(t, "repeated: "+strings.Join(numbers, ", "), f.lastEvent(third).Reason)
	n := f.lastNotice(third)
	assert.Equal(t, workflow.KindEndOfCorrespondence, n.Kind)
	assert.Contains(t, n.Body, numbers[0])
	assert.Contains(t, n.Body, numbers[1])
	assert.Contains(t, n.Body, "Решение № 5")
}

// Art. 11 p.5.1: when the question was answered on the official site, the notice carries the
// address, and an appeal disputing a court decision is then not returned.
func TestAnsweredOnSite(t *testing.T) {
	f := newFixture(t)
	id := f.appealAt(classified)
	_, err := f.eng.NoteGround(f.ctx, clerk, id, workflow.GroundInput{Ground: workflow.GroundCourtDecision})
	require.NoError(t, err)
	rec, err := f.eng.Decide(f.ctx, manager, id, workflow.OutcomeInput{Ground: workflow.GroundAnsweredOnSite,
		Decision: "https://city-n.example/answers/2025/17"})
	require.NoError(t, err)
	assert.Equal(t, appeal.StateLeftWithoutAnswer, rec.Appeal.State, "not returned")
	n := f.lastNotice(id)
	assert.Equal(t, workflow.KindLeftWithoutAnswer, n.Kind)
	assert.Contains(t, n.Body, "https://city-n.example/answers/2025/17")
	assert.Empty(t, f.lastEvent(id).Late)
}

func mustTemplates(t *testing.T, text string) *template.Template {
	t.Helper()
	return template.Must(template.New("").Funcs(workflow.NoticeFuncs()).Parse(text))
}
