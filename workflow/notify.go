package workflow

import (
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
	KindAssignment          NoticeKind = "assignment"            // to an executor: a new assignment
	KindAssignmentChanged   NoticeKind = "assignment_changed"    // to an executor: a new due date
	KindAssignmentRemoved   NoticeKind = "assignment_removed"    // to an executor: handed to another
	KindReminderDueSoon     NoticeKind = "reminder_due_soon"     // to staff: a term's control date is near
	KindReminderOverdue     NoticeKind = "reminder_overdue"      // to staff: a term's legal date has passed
)

// applicantRecipient is where notices to the first applicant go: the answer channel they
// chose, else the channel the appeal came by, else any address given (art. 10 p.4). It
// reports false when there is no address (an anonymous appeal, art. 11 p.1).
func applicantRecipient(a *appeal.Appeal) (Recipient, bool) {
	if len(a.Applicants) == 0 {
		return Recipient{}, false
	}
	p := a.Applicants[0]
	var order [4]appeal.AnswerChannel
	order[0] = p.AnswerChannel
	switch {
	case a.Channel == appeal.ChannelEPGU:
		order[1], order[2], order[3] = appeal.AnswerToAccount, appeal.AnswerByEmail, appeal.AnswerByPost
	case a.Channel.Electronic():
		order[1], order[2], order[3] = appeal.AnswerByEmail, appeal.AnswerByPost, appeal.AnswerToAccount
	default:
		order[1], order[2], order[3] = appeal.AnswerByPost, appeal.AnswerByEmail, appeal.AnswerToAccount
	}
	for _, ch := range order {
		if addr := p.Address(ch); addr != "" {
			return Recipient{Role: RecipientApplicant, Channel: NoticeChannel(ch), Address: addr}, true
		}
	}
	return Recipient{}, false
}

// notify renders a notice and queues it in this command's save. Its id is derived from the
// appeal, the kind, the version read, ref (what the notice is about when one change sends
// several of a kind: an assignment, a reminder key) and the recipient: the same change always
// yields the same id, so a retried command cannot queue a second copy.
func (c *change) notify(kind NoticeKind, ref string, to Recipient, d NoticeData) error {
	a := c.rec.Appeal
	d.Org, d.Number = c.e.opt.Org.Name, a.Number
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

// notifyApplicant queues a notice to the first applicant, if they gave an address.
func (c *change) notifyApplicant(kind NoticeKind, d NoticeData) error {
	to, ok := applicantRecipient(c.rec.Appeal)
	if !ok {
		return nil
	}
	d.Greeting = greeting(c.rec.Appeal.Applicants[0])
	return c.notify(kind, "", to, d)
}

// notifyStaff queues a notice to a member of staff through the host's internal channel.
func (c *change) notifyStaff(kind NoticeKind, ref string, role RecipientRole, staff string, d NoticeData) error {
	return c.notify(kind, ref, Recipient{Role: role, Staff: staff, Channel: ChannelInternal}, d)
}
