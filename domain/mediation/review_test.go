package mediation_test

import (
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
)

func TestNextReview(t *testing.T) {
	author := m.Reviewer{IsAuthor: true}
	police := m.Reviewer{IsPolice: true}
	policeAuthor := m.Reviewer{IsPolice: true, IsAuthor: true}
	supervisor := m.Reviewer{IsSupervisor: true, OtherOfficer: true}
	supervisorOfLoneStation := m.Reviewer{IsSupervisor: true}
	supervisorAuthor := m.Reviewer{IsSupervisor: true, IsAuthor: true}
	loneOfficerAuthor := m.Reviewer{IsPolice: true, IsAuthor: true}
	bothLevels := m.Reviewer{IsPolice: true, IsSupervisor: true, ApprovedFirst: true}
	stranger := m.Reviewer{}
	tests := []struct {
		name    string
		stage   m.ReviewStage
		action  m.ReviewAction
		who     m.Reviewer
		comment string
		want    m.ReviewStage
		kind    domain.Kind
	}{
		{"the author submits a draft to the police reviewer", m.ReviewDraft, m.ReviewSubmit, author, "", m.ReviewPendingPolice, ""},
		{"the author resubmits a returned record", m.ReviewReturned, m.ReviewSubmit, author, "", m.ReviewPendingPolice, ""},
		{"the author edits a draft", m.ReviewDraft, m.ReviewEdit, author, "", m.ReviewDraft, ""},
		{"the author edits a returned record", m.ReviewReturned, m.ReviewEdit, author, "", m.ReviewReturned, ""},
		{"someone else cannot submit", m.ReviewDraft, m.ReviewSubmit, police, "", "", domain.KindForbidden},
		{"a record in review cannot be edited", m.ReviewPendingPolice, m.ReviewEdit, author, "", "", domain.KindFailedPrecondition},
		{"an approved record cannot be edited", m.ReviewApproved, m.ReviewEdit, author, "", "", domain.KindFailedPrecondition},
		{"police approve the first level", m.ReviewPendingPolice, m.ReviewApprove, police, "", m.ReviewPendingSupervisor, ""},
		{"police who wrote the record cannot approve it", m.ReviewPendingPolice, m.ReviewApprove, policeAuthor, "", "", domain.KindForbidden},
		{"a supervisor cannot take the first level while the station has another officer", m.ReviewPendingPolice, m.ReviewApprove, supervisor, "", "", domain.KindForbidden},
		{"the first level falls to the supervisor when the station has no officer but the author", m.ReviewPendingPolice, m.ReviewApprove, supervisorOfLoneStation, "", m.ReviewPendingSupervisor, ""},
		{"the supervisor standing in at the first level may return the record", m.ReviewPendingPolice, m.ReviewReturn, supervisorOfLoneStation, "补充笔录", m.ReviewReturned, ""},
		{"the station's only officer cannot approve their own record", m.ReviewPendingPolice, m.ReviewApprove, loneOfficerAuthor, "", "", domain.KindForbidden},
		{"a supervisor who wrote the record cannot take the first level", m.ReviewPendingPolice, m.ReviewApprove, supervisorAuthor, "", "", domain.KindForbidden},
		{"a supervisor who wrote the record cannot take the second level", m.ReviewPendingSupervisor, m.ReviewApprove, supervisorAuthor, "", "", domain.KindForbidden},
		{"someone neither police nor supervisor never takes the first level, lone station or not", m.ReviewPendingPolice, m.ReviewApprove, stranger, "", "", domain.KindForbidden},
		{"police return with a comment", m.ReviewPendingPolice, m.ReviewReturn, police, "补充调解笔录", m.ReviewReturned, ""},
		{"returning needs a comment", m.ReviewPendingPolice, m.ReviewReturn, police, "", "", domain.KindInvalid},
		{"a supervisor approves the second level", m.ReviewPendingSupervisor, m.ReviewApprove, supervisor, "", m.ReviewApproved, ""},
		{"police cannot take the second level", m.ReviewPendingSupervisor, m.ReviewApprove, police, "", "", domain.KindForbidden},
		{"a supervisor returns at the second level", m.ReviewPendingSupervisor, m.ReviewReturn, supervisor, "金额不一致", m.ReviewReturned, ""},
		{"a draft cannot be approved", m.ReviewDraft, m.ReviewApprove, police, "", "", domain.KindFailedPrecondition},
		{"an approved record cannot be approved again", m.ReviewApproved, m.ReviewApprove, supervisor, "", "", domain.KindFailedPrecondition},
		{"who approved the first level cannot approve the second", m.ReviewPendingSupervisor, m.ReviewApprove, bothLevels, "", "", domain.KindForbidden},
		{"nor return it at the second", m.ReviewPendingSupervisor, m.ReviewReturn, bothLevels, "再核实", "", domain.KindForbidden},
		{"a stranger cannot approve", m.ReviewPendingSupervisor, m.ReviewApprove, stranger, "", "", domain.KindForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.NextReview(tt.stage, tt.action, tt.who, tt.comment)
			if tt.kind != "" {
				if domain.ErrorKind(err) != tt.kind {
					t.Fatalf("err %v, want kind %s", err, tt.kind)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestRecordValidate(t *testing.T) {
	session := m.Session{HeldAt: mustTime("2026-11-20T10:00:00+08:00"), Place: "调解室一", Summary: "双方到场"}
	tests := []struct {
		name   string
		record m.Record
		fields []string
	}{
		{"a complete agreement is valid", m.Record{Sessions: []m.Session{session}, Outcome: m.OutcomeAgreed, RiskScore: 30,
			Agreement: &m.Agreement{Terms: "赔偿 2000 元", AmountFen: 200000, JudicialConfirmation: m.JudicialPending}}, nil},
		{"an agreement needs terms", m.Record{Sessions: []m.Session{session}, Outcome: m.OutcomeAgreed}, []string{"agreement.terms"}},
		{"a failure has no agreement", m.Record{Outcome: m.OutcomeFailed, Agreement: &m.Agreement{Terms: "x"}}, []string{"agreement"}},
		{"the risk score is 0 to 100", m.Record{RiskScore: 101}, []string{"risk_score"}},
		{"a negative amount is refused", m.Record{Outcome: m.OutcomeAgreed, Agreement: &m.Agreement{Terms: "x", AmountFen: -1}}, []string{"agreement.amount_fen"}},
		{"a session needs a time and a place", m.Record{Sessions: []m.Session{{}}}, []string{"sessions[0].held_at", "sessions[0].place"}},
		{"an unknown outcome is refused", m.Record{Outcome: "won"}, []string{"outcome"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.record.Validate()
			var got []string
			if e, ok := domain.AsError(err); ok {
				for _, f := range e.Fields {
					got = append(got, f.Field)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.fields) {
				t.Fatalf("fields %v, want %v", got, tt.fields)
			}
			for i := range got {
				if got[i] != tt.fields[i] {
					t.Fatalf("fields %v, want %v", got, tt.fields)
				}
			}
		})
	}
}
