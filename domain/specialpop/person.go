package specialpop

import (
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// State is where a person stands in the register.
type State string

const (
	Managed     State = "managed"      // 在管
	LostContact State = "lost_contact" // 脱管
	Reoffended  State = "reoffended"   // 重新违法犯罪
	Released    State = "released"     // 解除管控
)

// States lists every state, for table tests and statistics.
var States = []State{Managed, LostContact, Reoffended, Released}

// Action changes a person's state.
type Action string

const (
	ActLoseContact   Action = "lose_contact"   // contact lost (脱管)
	ActRegainContact Action = "regain_contact" // back under management
	ActReoffend      Action = "reoffend"       // re-offended: handed to the criminal process
	ActRelease       Action = "release"        // released from management (解除)
)

// Actions lists every action.
var Actions = []Action{ActLoseContact, ActRegainContact, ActReoffend, ActRelease}

var transitions = map[Action]struct {
	from []State
	to   State
}{
	ActLoseContact:   {[]State{Managed}, LostContact},
	ActRegainContact: {[]State{LostContact}, Managed},
	ActReoffend:      {[]State{Managed, LostContact}, Reoffended},
	ActRelease:       {[]State{Managed, Reoffended}, Released},
}

// Next is the state action leads to from s, or a failed-precondition error.
func Next(s State, a Action) (State, error) {
	t, ok := transitions[a]
	if !ok {
		return s, domain.Invalid(domain.FieldError{Field: "action", Code: domain.FieldUnsupported, Message: "is not an action"})
	}
	for _, f := range t.from {
		if f == s {
			return t.to, nil
		}
	}
	return s, domain.Errorf(domain.KindFailedPrecondition, "special_person.illegal_transition", "A person who is %s cannot be given %s.", s, a)
}

// Active reports whether the person is still followed by the area: visits,
// help, plan changes and transfers are for them.
func (s State) Active() bool { return s == Managed || s == LostContact }

// Risk levels.
const (
	RiskLow    = "low"
	RiskMedium = "medium"
	RiskHigh   = "high"
)

func validRisk(r string) bool { return r == RiskLow || r == RiskMedium || r == RiskHigh }

// Kind is a category of the register; the four of the seed are built in,
// admins add others.
type Kind struct {
	Code      string
	Name      string
	Builtin   bool
	CreatedAt time.Time
}

// Built-in kinds.
const (
	KindCommunityCorrection = "community_correction" // 社区矫正
	KindReleasedPrisoner    = "released_prisoner"    // 刑满释放
	KindDrugUser            = "drug_user"            // 吸毒人员
	KindMentalDisorder      = "mental_disorder"      // 易肇事肇祸精神障碍患者
)

// Person is one entry of the register. The ID number is kept masked and as
// an HMAC (to find a second registration), never in full.
type Person struct {
	ID             int64
	AreaID         int64
	Kind           string
	Name           string
	IDNumberMasked string
	IDNumberHash   string
	Address        string
	RiskLevel      string
	OfficerID      int64 // the responsible police officer (责任民警)
	SocialWorkerID int64 // the justice office's social worker (社工)
	LegalStewardID int64 // the legal-service worker (法律管家)
	VisitEveryDays int
	LastContactAt  *time.Time
	NextContactDue time.Time
	OverdueSince   *time.Time // the plan was missed and a warning raised; cleared by a visit
	State          State
	Note           string
	CreatedBy      int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int
}

// Overdue reports whether the person is managed and the plan's date passed.
func (p *Person) Overdue(now time.Time) bool {
	return p.State == Managed && p.NextContactDue.Before(now)
}

// plan moves the next contact date on from a contact at t.
func (p *Person) plan(t time.Time) {
	p.NextContactDue = t.AddDate(0, 0, p.VisitEveryDays)
}

// Record types: one line of a person's history.
const (
	RecRegistered = "registered"
	RecVisit      = "visit"
	RecHelp       = "help"
	RecState      = "state"
	RecTransfer   = "transfer"
	RecMissed     = "missed" // the contact plan was missed
	RecPlan       = "plan"   // risk level, plan or people changed
)

// Record is one line of a person's history: a visit, help given (帮教), a
// state change, a transfer between areas.
type Record struct {
	ID        int64
	PersonID  int64
	AreaID    int64 // the area the person belonged to when it was written
	Type      string
	At        time.Time
	ActorID   int64
	Method    string // visits: home, phone, video, interview
	Note      string
	FromState State
	ToState   State
	FromArea  int64
	ToArea    int64
}

// Visit methods.
var visitMethods = []string{"home", "phone", "video", "interview"}
