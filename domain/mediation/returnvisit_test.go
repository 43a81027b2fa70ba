package mediation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
)

// The return visit's answer: heard by the caller, kept apart from the
// in-app rating, only with a follow-up, and only a well-formed one.
func TestReturnVisitAnswer(t *testing.T) {
	phone4 := &m.Answer{Stars: 4, Comment: " 基本满意 ", Channel: m.ChannelPhone}
	cases := []struct {
		name   string
		status m.Status
		action m.Action
		who    domain.Actor
		ans    *m.Answer
		code   string // "" for success
	}{
		{"the officer who called records the phone answer with the follow-up", m.StatusClosed, m.ActionFollowUp, theOfficer, phone4, ""},
		{"the lead records a home visit's answer", m.StatusClosed, m.ActionFollowUp, theLead, &m.Answer{Stars: 5, Channel: m.ChannelVisit}, ""},
		{"a follow-up without an answer records none", m.StatusClosed, m.ActionFollowUp, theOfficer, nil, ""},
		{"an answer goes only with a follow-up", m.StatusAgreed, m.ActionClose, theOfficer, phone4, "validation.failed"},
		{"stars are 1 to 5", m.StatusClosed, m.ActionFollowUp, theOfficer, &m.Answer{Stars: 6, Channel: m.ChannelPhone}, "validation.failed"},
		{"no stars is not an answer", m.StatusClosed, m.ActionFollowUp, theOfficer, &m.Answer{Channel: m.ChannelPhone}, "validation.failed"},
		{"the channel is phone or visit", m.StatusClosed, m.ActionFollowUp, theOfficer, &m.Answer{Stars: 3, Channel: "wechat"}, "validation.failed"},
		{"the channel is required", m.StatusClosed, m.ActionFollowUp, theOfficer, &m.Answer{Stars: 3}, "validation.failed"},
		{"the filer cannot answer for the caller", m.StatusClosed, m.ActionFollowUp, theFiler, phone4, "request.not_yours"},
		{"a case not yet closed has no return visit", m.StatusAgreed, m.ActionFollowUp, theOfficer, phone4, "case.illegal_transition"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ans *m.Answer
			if tc.ans != nil {
				cp := *tc.ans
				ans = &cp
			}
			svc, reqs, _ := noticeService(m.Request{Status: tc.status, LeadID: leadID}, nil)
			got, err := svc.TransitionAnswered(context.Background(), tc.who, noticeRequestID, tc.action, "", ans)
			if tc.code != "" {
				if e, ok := domain.AsError(err); !ok || e.Code != tc.code {
					t.Fatalf("error %v, want %s", err, tc.code)
				}
				if reqs.reqs[noticeRequestID].ReturnVisit != nil || reqs.reqs[noticeRequestID].Status != tc.status {
					t.Fatalf("a refused answer changed the request: %+v", reqs.reqs[noticeRequestID])
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			rv := reqs.reqs[noticeRequestID].ReturnVisit
			if tc.ans == nil {
				if rv != nil || got.ReturnVisit != nil {
					t.Fatalf("a follow-up without an answer recorded %+v", rv)
				}
				return
			}
			want := m.ReturnVisit{Stars: tc.ans.Stars, Comment: strings.TrimSpace(tc.ans.Comment), Channel: tc.ans.Channel, ByID: tc.who.UserID, At: noticeT0}
			if rv == nil || *rv != want {
				t.Fatalf("stored answer %+v, want %+v", rv, want)
			}
			if got.Rating != nil {
				t.Fatalf("the return visit's answer became an in-app rating: %+v", got.Rating)
			}
			if last := reqs.events[len(reqs.events)-1]; last.Type != "return_visit_answered" {
				t.Fatalf("timeline ends with %s, want return_visit_answered", last.Type)
			}
		})
	}
}
