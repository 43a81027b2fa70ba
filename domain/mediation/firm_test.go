package mediation_test

import (
	"context"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
)

// firms stands in for the account area: who heads which firm, and each
// person's firm.
type firms struct {
	heads map[int64]int64 // head → firm (0: a head without a firm)
	of    map[int64]int64
}

func (f firms) FirmScope(_ context.Context, a domain.Actor) (int64, bool, error) {
	if firm := f.heads[a.UserID]; firm != 0 {
		return firm, false, nil
	}
	return 0, false, domain.Errorf(domain.KindForbidden, "firm.not_yours", "not your firm")
}

func (f firms) FirmOf(_ context.Context, id int64) (int64, error) { return f.of[id], nil }

// A firm's head opens the cases their firm's lawyers lead, assist or were
// chosen for, and no other; a head without a firm reads as a lawyer.
func TestFirmHeadReadsTheFirmsCases(t *testing.T) {
	const firmA, firmB, head, headless, otherLawyer = 71, 72, 901, 902, 903
	headOf := func(id int64) domain.Actor {
		return domain.Actor{UserID: id, Roles: []string{m.RoleLawyer, m.RoleFirmHead}, OrgID: 900}
	}
	cases := []struct {
		name     string
		who      domain.Actor
		lead     int64
		chosen   int64
		readable bool
	}{
		{"the head reads a case their firm's lawyer leads", headOf(head), leadID, 0, true},
		{"the head reads a case a lawyer of the firm was chosen for", headOf(head), 0, leadID, true},
		{"the head does not read another firm's case", headOf(head), otherLawyer, 0, false},
		{"a head without a firm reads nobody else's case", headOf(headless), leadID, 0, false},
		{"a plain lawyer of the firm does not read a colleague's case", domain.Actor{UserID: head, Roles: []string{m.RoleLawyer}}, leadID, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svc, reqs, _ := noticeService(m.Request{Status: m.StatusAssigned, LeadID: tc.lead}, nil)
			svc.Requests = withEvents{reqs}
			svc.Firms = firms{heads: map[int64]int64{head: firmA, headless: 0}, of: map[int64]int64{leadID: firmA, otherLawyer: firmB, head: firmA}}
			svc.Attachments = noAttachments{}
			if tc.chosen != 0 {
				reqs.reqs[noticeRequestID].Filing.ChosenID = tc.chosen
			}
			_, err := svc.Get(context.Background(), tc.who, noticeRequestID)
			if tc.readable && err != nil {
				t.Fatalf("the case is hidden: %v", err)
			}
			if !tc.readable && !domain.IsKind(err, domain.KindNotFound) {
				t.Fatalf("error %v, want not found", err)
			}
		})
	}
}

type withEvents struct{ *memRequests }

func (withEvents) Events(context.Context, int64) ([]m.Event, error) { return nil, nil }
func (withEvents) EventsBefore(context.Context, int64, m.Page) ([]m.Event, error) {
	return nil, nil
}

type noAttachments struct{ m.AttachmentStore }

func (noAttachments) AttachmentsOf(context.Context, int64) ([]m.Attachment, error) { return nil, nil }
