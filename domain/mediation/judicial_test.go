package mediation_test

import (
	"context"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
)

const court, otherCourt = 41, 42

type memConfirmations struct{ c *m.Confirmation }

func (s *memConfirmations) Confirmation(context.Context, int64) (*m.Confirmation, error) {
	if s.c == nil {
		return nil, domain.Errorf(domain.KindNotFound, "judicial.not_requested", "not requested")
	}
	cp := *s.c
	return &cp, nil
}

func (s *memConfirmations) SaveConfirmation(_ context.Context, c *m.Confirmation) error {
	cp := *c
	s.c = &cp
	return nil
}

type partnerUnits struct{}

func (partnerUnits) IsPartnerUnit(_ context.Context, id int64) (bool, error) {
	return id == court || id == otherCourt, nil
}

type recordIn struct {
	m.RecordStore
	rec m.Record
}

func (r recordIn) RecordOfRequest(context.Context, int64) (*m.Record, error) {
	cp := r.rec
	return &cp, nil
}

// Judicial confirmation: handed over only after both approvals and once;
// decided only by the court it went to, once, with a well-formed ruling.
func TestJudicialConfirmation(t *testing.T) {
	approved := m.Record{Review: m.ReviewApproved, Outcome: m.OutcomeAgreed, Agreement: &m.Agreement{Terms: "分期还款"}}
	ruling := m.Decision{Result: m.JudicialConfirmed, DecidedOn: "2026-11-25", DocumentNo: "(2026)渝0112民特123号"}
	judge := domain.Actor{UserID: 77, Roles: []string{m.RolePartner}, OrgID: court}
	pending := &m.Confirmation{RequestID: noticeRequestID, CourtID: court, Result: m.JudicialPending, Version: 1}
	cases := []struct {
		name   string
		rec    m.Record
		before *m.Confirmation
		act    func(*m.Service) error
		code   string
		result m.JudicialResult // what is stored after
	}{
		{"the lead hands an approved agreement to a court", approved, nil,
			func(s *m.Service) error {
				_, err := s.RequestConfirmation(context.Background(), theLead, noticeRequestID, court, "")
				return err
			},
			"", m.JudicialPending},
		{"not before both approvals", m.Record{Review: m.ReviewPendingSupervisor, Outcome: m.OutcomeAgreed, Agreement: &m.Agreement{}}, nil,
			func(s *m.Service) error {
				_, err := s.RequestConfirmation(context.Background(), theLead, noticeRequestID, court, "")
				return err
			},
			"judicial.not_approved", ""},
		{"not without an agreement", m.Record{Review: m.ReviewApproved, Outcome: m.OutcomeFailed}, nil,
			func(s *m.Service) error {
				_, err := s.RequestConfirmation(context.Background(), theLead, noticeRequestID, court, "")
				return err
			},
			"judicial.not_approved", ""},
		{"once only", approved, pending,
			func(s *m.Service) error {
				_, err := s.RequestConfirmation(context.Background(), theLead, noticeRequestID, court, "")
				return err
			},
			"judicial.already_requested", m.JudicialPending},
		{"only to a partner unit", approved, nil,
			func(s *m.Service) error {
				_, err := s.RequestConfirmation(context.Background(), theLead, noticeRequestID, 5, "")
				return err
			},
			"validation.failed", ""},
		{"not by the filer", approved, nil,
			func(s *m.Service) error {
				_, err := s.RequestConfirmation(context.Background(), theFiler, noticeRequestID, court, "")
				return err
			},
			"request.not_yours", ""},
		{"the court records its ruling", approved, pending,
			func(s *m.Service) error {
				_, err := s.DecideConfirmation(context.Background(), judge, noticeRequestID, ruling)
				return err
			},
			"", m.JudicialConfirmed},
		{"another court does not see the case", approved, pending,
			func(s *m.Service) error {
				_, err := s.DecideConfirmation(context.Background(), domain.Actor{UserID: 78, Roles: []string{m.RolePartner}, OrgID: otherCourt}, noticeRequestID, ruling)
				return err
			},
			"request.not_found", m.JudicialPending},
		{"the ruling is decided once", approved, &m.Confirmation{RequestID: noticeRequestID, CourtID: court, Result: m.JudicialRefused, Version: 2},
			func(s *m.Service) error {
				_, err := s.DecideConfirmation(context.Background(), judge, noticeRequestID, ruling)
				return err
			},
			"judicial.already_decided", m.JudicialRefused},
		{"a ruling is confirmed or refused, dated and numbered", approved, pending,
			func(s *m.Service) error {
				_, err := s.DecideConfirmation(context.Background(), judge, noticeRequestID, m.Decision{Result: m.JudicialPending, DecidedOn: "25.11.2026"})
				return err
			},
			"validation.failed", m.JudicialPending},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svc, _, _ := noticeService(m.Request{Status: m.StatusAgreed, LeadID: leadID}, nil)
			confs := &memConfirmations{}
			if tc.before != nil {
				cp := *tc.before
				confs.c = &cp
			}
			svc.Records, svc.Confirmations, svc.Courts = recordIn{rec: tc.rec}, confs, partnerUnits{}
			err := tc.act(svc)
			if tc.code == "" && err != nil {
				t.Fatal(err)
			}
			if e, _ := domain.AsError(err); tc.code != "" && (e == nil || e.Code != tc.code) {
				t.Fatalf("error %v, want %s", err, tc.code)
			}
			var got m.JudicialResult
			if confs.c != nil {
				got = confs.c.Result
			}
			if got != tc.result {
				t.Fatalf("stored result %q, want %q", got, tc.result)
			}
		})
	}
}
