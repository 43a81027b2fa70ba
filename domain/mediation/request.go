package mediation

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// Kind is the service a citizen asks for.
type Kind string

const (
	KindMediation    Kind = "mediation"    // 矛盾纠纷调解
	KindConsultation Kind = "consultation" // 法律咨询
	KindDrafting     Kind = "drafting"     // 代写文书
)

// Party is another person in the dispute.
type Party struct {
	Name     string
	Phone    string
	Relation string
}

// Filing is what a citizen submits from the phone.
type Filing struct {
	Kind        Kind
	Category    string
	Description string
	Place       string
	StationID   int64
	ChosenID    int64 // optional chosen lawyer or mediator
	DetaineeID  int64 // set when a family member files on a detainee's behalf
	Parties     []Party
}

// Limits on a filing, so that one request cannot be a denial of service.
const (
	MinDescriptionRunes = 5
	MaxDescriptionRunes = 5000
	MaxParties          = 20
	MaxPlaceRunes       = 200
	MaxNameRunes        = 50
	MaxRelationRunes    = 20
	MaxAttachments      = 20 // per request
)

var mobile = regexp.MustCompile(`^1[3-9]\d{9}$`)

// Validate checks a filing against the configured categories and reports
// every bad field at once.
func (f *Filing) Validate(categories map[string]bool) error {
	f.Description = strings.TrimSpace(f.Description)
	f.Place = strings.TrimSpace(f.Place)
	var p domain.Problems
	switch f.Kind {
	case KindMediation, KindConsultation, KindDrafting:
	case "":
		p.Add("kind", domain.FieldRequired, "is required")
	default:
		p.Add("kind", domain.FieldUnsupported, "must be mediation, consultation or drafting")
	}
	if p.Require("category", f.Category) && !categories[f.Category] {
		p.Add("category", domain.FieldUnsupported, "is not a known category")
	}
	switch n := utf8.RuneCountInString(f.Description); {
	case n == 0:
		p.Add("description", domain.FieldRequired, "is required")
	case n < MinDescriptionRunes:
		p.Add("description", domain.FieldTooShort, "say a little more about the dispute")
	case n > MaxDescriptionRunes:
		p.Add("description", domain.FieldTooLong, "is too long")
	}
	if f.StationID <= 0 {
		p.Add("station_id", domain.FieldRequired, "is required")
	}
	if f.ChosenID < 0 {
		p.Add("lawyer_id", domain.FieldInvalid, "is not an ID")
	}
	if utf8.RuneCountInString(f.Place) > MaxPlaceRunes {
		p.Add("place", domain.FieldTooLong, "is too long")
	}
	if len(f.Parties) > MaxParties {
		p.Add("parties", domain.FieldOutOfRange, "too many parties")
	}
	for i := range f.Parties {
		party := &f.Parties[i]
		party.Name, party.Phone, party.Relation = strings.TrimSpace(party.Name), strings.TrimSpace(party.Phone), strings.TrimSpace(party.Relation)
		field := "parties[" + strconv.Itoa(i) + "]"
		if party.Name == "" {
			p.Add(field+".name", domain.FieldRequired, "is required")
		} else if utf8.RuneCountInString(party.Name) > MaxNameRunes {
			p.Add(field+".name", domain.FieldTooLong, "is too long")
		}
		if party.Phone != "" && !mobile.MatchString(party.Phone) {
			p.Add(field+".phone", domain.FieldInvalid, "must be an 11-digit mobile number")
		}
		if utf8.RuneCountInString(party.Relation) > MaxRelationRunes {
			p.Add(field+".relation", domain.FieldTooLong, "is too long")
		}
	}
	return p.Err()
}

// Request is a filed request and, once screened, the case it becomes.
type Request struct {
	ID             int64
	FilerID        int64 // the citizen who filed
	Filing         Filing
	Status         Status
	Classification Classification
	LeadID         int64
	AssistantID    int64
	RejectReason   string
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time
	ClosedAt       *time.Time
	Rating         *Rating
	ReturnVisit    *ReturnVisit // the satisfaction heard at the return visit
	// FirstResponseAt is when staff first acted on the request (screened or
	// rejected it); Outcome how mediation ended (agreed, failed,
	// referred_to_litigation), kept after the case moves on to closed.
	FirstResponseAt *time.Time
	Outcome         Status
	// Filer is the filer's name and phone, read with the request for the
	// staff's view (see Audience); never written through the request.
	Filer Filer
	// Tags are the staff's self-chosen labels (see tags.go), loaded with
	// the request; never shown to citizens.
	Tags []string
}

// Rating is the citizen's satisfaction with a closed case (满意度).
type Rating struct {
	Stars   int
	Comment string
	At      time.Time
}

// Category is one entry of the configurable category list.
type Category struct {
	Code  string
	Label string // Chinese label shown in the apps
	Order int
}

// DefaultCategories seed the category list (矛盾纠纷类别).
var DefaultCategories = []Category{
	{"family", "婚姻家庭", 1}, {"neighbour", "邻里", 2}, {"labour", "劳资", 3}, {"debt", "债务", 4},
	{"compensation", "赔偿", 5}, {"consumer", "消费", 6}, {"property", "物业", 7}, {"traffic", "交通", 8},
	{"other", "其他", 9},
}
