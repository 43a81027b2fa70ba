package warning_test

import (
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	w "github.com/tiaojie/tiaojie/domain/warning"
)

func TestWarningLifecycle(t *testing.T) {
	tests := []struct {
		from    w.Status
		action  string
		outcome w.Outcome
		want    w.Status
		kind    domain.Kind
	}{
		{w.StatusOpen, w.ActionAcknowledge, "", w.StatusAcknowledged, ""},
		{w.StatusOpen, w.ActionHandle, w.OutcomeResolved, w.StatusHandled, ""},
		{w.StatusAcknowledged, w.ActionHandle, w.OutcomeFalseAlarm, w.StatusHandled, ""},
		{w.StatusAcknowledged, w.ActionHandle, "", "", domain.KindInvalid},
		{w.StatusAcknowledged, w.ActionAcknowledge, "", "", domain.KindFailedPrecondition},
		{w.StatusHandled, w.ActionClose, "", w.StatusClosed, ""},
		{w.StatusOpen, w.ActionClose, "", "", domain.KindFailedPrecondition},
		{w.StatusClosed, w.ActionHandle, w.OutcomeResolved, "", domain.KindFailedPrecondition},
		{w.StatusOpen, "delete", "", "", domain.KindInvalid},
	}
	for _, tt := range tests {
		t.Run(string(tt.from)+"/"+tt.action, func(t *testing.T) {
			x := w.Warning{Status: tt.from}
			err := x.Next(tt.action, tt.outcome, "")
			if tt.kind != "" {
				if domain.ErrorKind(err) != tt.kind {
					t.Fatalf("err %v, want %s", err, tt.kind)
				}
				return
			}
			if err != nil || x.Status != tt.want {
				t.Fatalf("got %s %v, want %s", x.Status, err, tt.want)
			}
		})
	}
}

func TestRuleValidate(t *testing.T) {
	ok := w.Rule{Kind: w.KindSamePerson, Name: "x", Threshold: 3, Window: 30 * 24 * time.Hour, Severity: w.SeverityYellow}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]w.Rule{
		"no kind":          {Name: "x", Threshold: 1, Window: 24 * time.Hour, Severity: w.SeverityRed},
		"zero threshold":   {Kind: w.KindSamePerson, Name: "x", Window: 24 * time.Hour, Severity: w.SeverityRed},
		"an hour window":   {Kind: w.KindSamePerson, Name: "x", Threshold: 1, Window: time.Hour, Severity: w.SeverityRed},
		"risk over 100":    {Kind: w.KindRiskScore, Name: "x", Threshold: 101, Severity: w.SeverityRed},
		"no severity":      {Kind: w.KindRiskScore, Name: "x", Threshold: 80},
		"no name":          {Kind: w.KindRiskScore, Threshold: 80, Severity: w.SeverityRed},
		"endless cooldown": {Kind: w.KindRiskScore, Name: "x", Threshold: 80, Severity: w.SeverityRed, Cooldown: 1000 * 24 * time.Hour},
	} {
		if domain.ErrorKind(r.Validate()) != domain.KindInvalid {
			t.Errorf("%s: accepted", name)
		}
	}
	for _, r := range w.DefaultRules {
		if err := r.Validate(); err != nil {
			t.Errorf("default rule %s is invalid: %v", r.Name, err)
		}
	}
}

func TestSubject(t *testing.T) {
	tests := []struct {
		name    string
		rule    w.Kind
		event   w.Event
		subject string
		applies bool
	}{
		{"a filing counts for its person", w.KindSamePerson, w.Event{Type: "request_filed", PersonID: 7}, "person:7", true},
		{"a risk assessment is not a filing", w.KindSamePerson, w.Event{Type: "risk_assessed", PersonID: 7}, "person:7", false},
		{"a village groups its addresses", w.KindCategoryPlace, w.Event{Type: "request_filed", StationID: 3, Place: "古山三村12号", Category: "consumer"}, "community:3:古山三村:consumer", true},
		{"a community groups its addresses", w.KindCategoryPlace, w.Event{Type: "request_filed", StationID: 3, Place: "阳光社区5栋", Category: "property"}, "community:3:阳光社区:property", true},
		{"a loan consultation counts at its station", w.KindLoanConsultation, w.Event{Type: "request_filed", StationID: 3, RequestKind: "consultation", Description: "被网贷催收"}, "station:3", true},
		{"a loan mediation is not a consultation", w.KindLoanConsultation, w.Event{Type: "request_filed", StationID: 3, RequestKind: "mediation", Description: "网贷"}, "station:3", false},
		{"a family dispute naming violence", w.KindDVHousehold, w.Event{Type: "request_filed", PersonID: 5, Category: "family", Description: "长期家暴"}, "household:5", true},
		{"a family dispute without violence", w.KindDVHousehold, w.Event{Type: "request_filed", PersonID: 5, Category: "family", Description: "离婚"}, "household:5", false},
		{"a household with a place counts by the place, not the filer", w.KindDVHousehold, w.Event{Type: "request_filed", PersonID: 5, Category: "family", Place: "碧津社区 ３栋", Description: "长期家暴"}, "household:碧津社区3栋", true},
		{"a flagged filing counts though its text names no violence", w.KindDVHousehold, w.Event{Type: "request_filed", PersonID: 6, Category: "neighbour", Place: "碧津社区3栋", Description: "噪音", DVFlag: true}, "household:碧津社区3栋", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := w.Subject(w.Rule{Kind: tt.rule}, tt.event)
			if ok != tt.applies || (ok && got != tt.subject) {
				t.Fatalf("Subject = %q %v, want %q %v", got, ok, tt.subject, tt.applies)
			}
		})
	}
}
