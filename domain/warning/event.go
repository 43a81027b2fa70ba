package warning

import (
	"strconv"
	"strings"
	"time"
)

// Event is one counted fact, read from the warning signals the other areas
// write in their transactions. ID is the signal's own ID: counting it twice
// is impossible because the sliding log keeps members by ID.
type Event struct {
	ID          int64
	Type        string // request_filed, risk_assessed
	RequestID   int64
	RequestKind string // mediation, consultation, drafting
	PersonID    int64
	Category    string
	StationID   int64
	Place       string
	Description string
	RiskScore   int
	LoanFlag    bool // stored: LoanRelated() at the time of the filing
	DVFlag      bool // stored: DomesticViolence() at the time of the filing
	At          time.Time
}

// Words that mark a consultation as loan-related (the seed's 非正常贷款 case)
// and a family dispute as involving domestic violence.
var (
	loanWords = []string{"贷款", "网贷", "借贷", "高利贷", "套路贷", "校园贷", "借款"}
	dvWords   = []string{"家暴", "家庭暴力", "殴打", "打人", "施暴"}
)

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// LoanRelated reports whether a filing is a loan-related consultation.
func (e Event) LoanRelated() bool {
	return e.LoanFlag || (e.RequestKind == "consultation" && (e.Category == "debt" || containsAny(e.Description, loanWords)))
}

// DomesticViolence reports whether a filing concerns domestic violence:
// it touched a person or household staff flagged (DVFlag, stored at the
// filing), or it is a family dispute that says so.
func (e Event) DomesticViolence() bool {
	return e.DVFlag || (e.Category == "family" && containsAny(e.Description, dvWords))
}

// Subject is what a rule counts an event under ("person:42"), and whether
// the rule applies to the event at all.
func Subject(r Rule, e Event) (string, bool) {
	id := func(prefix string, n int64) string { return prefix + ":" + strconv.FormatInt(n, 10) }
	switch r.Kind {
	case KindSamePerson:
		return id("person", e.PersonID), e.Type == "request_filed" && e.PersonID != 0
	case KindCategoryPlace:
		return "community:" + strconv.FormatInt(e.StationID, 10) + ":" + community(e.Place) + ":" + e.Category,
			e.Type == "request_filed" && e.Category != ""
	case KindDVHousehold:
		// The household is the place of the dispute when one is given, so
		// two members of one family filing apart count together; without a
		// place, the filer stands for their household.
		if h := HouseholdKey(e.Place); h != "" {
			return "household:" + h, e.Type == "request_filed" && e.DomesticViolence()
		}
		return id("household", e.PersonID), e.Type == "request_filed" && e.DomesticViolence()
	case KindLoanConsultation:
		return id("station", e.StationID), e.Type == "request_filed" && e.LoanRelated()
	case KindRiskScore:
		return id("request", e.RequestID), e.Type == "risk_assessed" && e.RiskScore >= r.Threshold
	}
	return "", false
}

// community reduces a free-text place to the village or community it names
// (the part up to and including 村, 社区 or 小区), so "古山三村12号" and
// "古山三村东头" count together. Without such a marker the whole place counts.
func community(place string) string {
	place = strings.TrimSpace(place)
	for _, marker := range []string{"社区", "小区", "村"} {
		if i := strings.Index(place, marker); i > 0 {
			return place[:i+len(marker)]
		}
	}
	return place
}
