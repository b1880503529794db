package workflow

import (
	"cmp"
	"strconv"

	"github.com/fz59/appeals/appeal"
	"github.com/google/uuid"
)

// NoticeKind names a notice (Notification.Kind); each has a template pair "<kind>.subject",
// "<kind>.body".
type NoticeKind string

// The notice kinds.
const (
	KindRegistration        NoticeKind = "registration"          // art. 8 p.2: number and planned date
	KindForwarding          NoticeKind = "forwarding"            // art. 8 p.3: where forwarded
	KindExtension           NoticeKind = "extension"             // art. 12 p.2: new date and reason
	KindAnswer              NoticeKind = "answer"                // art. 10 p.4: the answer
	KindReturn              NoticeKind = "return"                // art. 11 p.2, art. 8 p.7
	KindLeftWithoutAnswer   NoticeKind = "left_without_answer"   // art. 11 pp.3, 4, 4.1, 5.1, 6
	KindEndOfCorrespondence NoticeKind = "end_of_correspondence" // art. 11 p.5
	KindRefusal             NoticeKind = "refusal"               // the sender: not registered, and how to file
	KindAssignment          NoticeKind = "assignment"            // to an executor: a new assignment
	KindAssignmentChanged   NoticeKind = "assignment_changed"    // to an executor: a new due date
	KindAssignmentRemoved   NoticeKind = "assignment_removed"    // to an executor: handed to another
	KindReminderDueSoon     NoticeKind = "reminder_due_soon"     // to staff: a term's control date is near
	KindReminderOverdue     NoticeKind = "reminder_overdue"      // to staff: a term's legal date has passed
)

// NoticeKinds lists every notice kind, in the order a lifecycle meets them; each has its
// "<kind>.subject" and "<kind>.body" templates (the package documentation lists them with the
// NoticeData fields they use).
func NoticeKinds() []NoticeKind {
	return []NoticeKind{KindRegistration, KindRefusal, KindForwarding, KindExtension, KindAnswer, KindReturn,
		KindLeftWithoutAnswer, KindEndOfCorrespondence, KindAssignment, KindAssignmentChanged, KindAssignmentRemoved,
		KindReminderDueSoon, KindReminderOverdue}
}

// applicantRecipients are where a notice to the first applicant goes: where the law sends the
// answer (appeal.AnswerTo: by the appeal's form, art. 10 p.4, art. 7 p.3), and, when the
// organization copies to the applicant's preferred channel (Organization.CopyToPreferred) and
// that is another one with an address, a copy marked as such. None for an anonymous appeal or
// one without an address (art. 11 p.1).
func applicantRecipients(a *appeal.Appeal, copyToPreferred bool) []Recipient {
	ch, addr, ok := a.AnswerTo()
	if !ok {
		return nil
	}
	out := []Recipient{{Role: RecipientApplicant, Channel: NoticeChannel(ch), Address: addr}}
	p := a.Applicants[0]
	if pref := p.AnswerChannel; copyToPreferred && pref != "" && pref != ch {
		if paddr := p.Address(pref); paddr != "" {
			out = append(out, Recipient{Role: RecipientApplicant, Channel: NoticeChannel(pref), Address: paddr, Copy: true})
		}
	}
	return out
}

// notify renders a notice and queues it in this command's save. Its id is derived from the
// appeal, the kind, the version read, ref (what the notice is about when one change sends
// several of a kind: an assignment, a reminder key) and the recipient: the same change always
// yields the same id, so a retried command cannot queue a second copy.
func (c *change) notify(kind NoticeKind, ref string, to Recipient, d NoticeData) error {
	a := c.rec.Appeal
	org := c.e.opt.Org
	d.Org, d.OrgGenitive, d.OrgPrepositional = org.Name, cmp.Or(org.NameGenitive, org.Name), cmp.Or(org.NamePrepositional, org.Name)
	d.Number = a.Number
	d.ReceivedOn = c.e.counter.DateOf(a.ReceivedAt)
	d.RegisteredOn = c.rec.Deadlines.Consideration.From
	if d.Planned.IsZero() {
		d.Planned = c.rec.Deadlines.Consideration.Legal
	}
	subject, body, err := c.e.render(kind, &d)
	if err != nil {
		return err
	}
	key := string(kind) + "|" + strconv.FormatInt(c.rec.Version, 10) + "|" + ref + "|" + string(to.Role) + "|" + to.Staff + "|" + string(to.Channel)
	c.out = append(c.out, Notification{
		ID: uuid.NewSHA1(a.ID, []byte(key)), AppealID: a.ID, Kind: kind, To: to,
		Subject: subject, Body: body, CreatedAt: c.now, Status: NotificationPending, NextAttempt: c.now,
	})
	return nil
}

// notifyApplicant queues a notice to the first applicant where the law sends it (and its
// copy, see applicantRecipients); nothing for an anonymous appeal.
func (c *change) notifyApplicant(kind NoticeKind, d NoticeData) error {
	for _, to := range applicantRecipients(c.rec.Appeal, c.e.opt.Org.CopyToPreferred) {
		d.Surname, d.GivenName, d.Patronymic, d.OrganizationName = nameParts(c.rec.Appeal.Applicants[0])
		if err := c.notify(kind, "", to, d); err != nil {
			return err
		}
	}
	return nil
}

// notifyStaff queues a notice to a member of staff through the host's internal channel.
func (c *change) notifyStaff(kind NoticeKind, ref string, role RecipientRole, staff string, d NoticeData) error {
	return c.notify(kind, ref, Recipient{Role: role, Staff: staff, Channel: ChannelInternal}, d)
}

// nameParts are an applicant's name parts cleaned to one line each, as templates get them.
func nameParts(p appeal.Applicant) (surname, given, patronymic, organization string) {
	if p.IsOrganization() {
		organization = oneLine(p.OrganizationName)
	}
	return oneLine(p.Surname), oneLine(p.GivenName), oneLine(p.Patronymic), organization
}
