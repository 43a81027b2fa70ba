package detention

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// Custody runs the detention centre's side of 拘调融合: intake and profiles
// with risk labels, behaviour records, release and transfer, the follow-up
// after release (跟踪回访) and joint mediation with partner units (联调联处).
// Every change writes its record, its history, its audit line and the work
// orders it causes in one transaction.
type Custody struct {
	Tx          domain.TxRunner
	Detainees   ProfileStore
	FollowUps   FollowUpStore
	Joints      JointStore
	Orgs        Orgs
	Orders      Orders
	Bookings    Bookings
	People      People
	Requests    Requests
	Attachments Attachments
	Feedback    FeedbackStore // families' and partners' ratings (feedback.go); nil: none
	FamilyNames FamilyNames   // names the profile's family members; nil: by account only
	Notices     JointNotices  // tells the family a joint mediation was decided (joint_notice.go); nil: nobody
	Audit       domain.Auditor
	Clock       domain.Clock

	// IDKey keys the HMAC of ID numbers (the full number is never stored).
	IDKey []byte
	Risk  RiskFactors
	// Lines are the business lines of joint mediation; empty means
	// DefaultBusinessLines.
	Lines []BusinessLine
	// FollowUpDays is how long the follow-up after release runs (7 unless set).
	FollowUpDays int
}

// Work-order kinds this area creates.
const (
	OrderAttention      = "detainee_attention"  // a yellow or red detainee needs extra staff
	OrderFollowUp       = "follow_up"           // the 7-day follow-up after release, for the home station
	OrderJointMediation = "joint_mediation"     // a partner unit is asked to join a mediation
	OrderHomeStation    = "home_station_notice" // the home station is told of its resident's visit or joint mediation
)

// Roles the rules check (the names of domain/account).
const (
	detentionStaffRole = "detention_staff"
	supervisorRole     = "supervisor"
	adminRole          = "admin"
	citizenRole        = "citizen"
)

// reaches reports whether unitID is the actor's organisation or, for
// supervisors and admins, lies under it. Citizens reach nothing.
func (s *Custody) reaches(ctx context.Context, a domain.Actor, unitID int64) (bool, error) {
	if a.OrgID == 0 || unitID == 0 || a.Has(citizenRole) {
		return false, nil
	}
	if a.OrgID == unitID {
		return true, nil
	}
	if !a.Has(supervisorRole, adminRole) {
		return false, nil
	}
	mine, err := s.Orgs.Org(ctx, a.OrgID)
	if err != nil {
		return false, ignoreNotFound(err)
	}
	unit, err := s.Orgs.Org(ctx, unitID)
	if err != nil {
		return false, ignoreNotFound(err)
	}
	return mine.Contains(unit), nil
}

// runsCentre reports whether the actor works the centre: its detention
// staff, or a supervisor or admin above it.
func (s *Custody) runsCentre(ctx context.Context, a domain.Actor, centreID int64) (bool, error) {
	if a.Has(detentionStaffRole) && a.OrgID == centreID && centreID != 0 {
		return true, nil
	}
	if a.Has(supervisorRole, adminRole) {
		return s.reaches(ctx, a, centreID)
	}
	return false, nil
}

// centresOf are the detention centres whose detainees the actor sees.
func (s *Custody) centresOf(ctx context.Context, a domain.Actor) ([]int64, error) {
	if a.OrgID == 0 || !a.Has(detentionStaffRole, supervisorRole, adminRole) {
		return nil, nil
	}
	all, err := s.Orgs.OrgsOfKind(ctx, OrgKindCentre)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, c := range all {
		if ok, err := s.runsCentre(ctx, a, c.ID); err != nil {
			return nil, err
		} else if ok {
			out = append(out, c.ID)
		}
	}
	return out, nil
}

// Centres lists every detention centre (for pickers: visits, filings).
func (s *Custody) Centres(ctx context.Context) ([]Org, error) {
	return s.Orgs.OrgsOfKind(ctx, OrgKindCentre)
}

func (s *Custody) audit(ctx context.Context, a domain.Actor, at time.Time, action, resourceType string, id int64, detail string) error {
	return s.Audit.Audit(ctx, domain.AuditOf(a, at, action, resourceType, id, cutText(detail, 500)))
}

// hashIDNumber is the HMAC of a normalised ID number, to recognise a
// returning person without keeping the number.
func (s *Custody) hashIDNumber(id string) (string, error) {
	if len(s.IDKey) == 0 {
		return "", domain.Errorf(domain.KindInternal, "detention.no_id_key", "The ID-number key is not configured.")
	}
	m := hmac.New(sha256.New, s.IDKey)
	m.Write([]byte(strings.ToUpper(strings.TrimSpace(id))))
	return hex.EncodeToString(m.Sum(nil)), nil
}

func (s *Custody) followUpDays() int {
	if s.FollowUpDays > 0 {
		return s.FollowUpDays
	}
	return 7
}

func ignoreNotFound(err error) error {
	if domain.IsKind(err, domain.KindNotFound) {
		return nil
	}
	return err
}

func changedMeanwhile(what string) error {
	return domain.Errorf(domain.KindConflict, what+".changed", "It changed meanwhile; reload it and try again.")
}

// cutText trims s and cuts it to at most n runes.
func cutText(s string, n int) string {
	s = strings.TrimSpace(s)
	for utf8.RuneCountInString(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// checkText checks a free-text input: trimmed, required or not, at most max runes.
func checkText(p *domain.Problems, field, v string, required bool, max int) string {
	v = strings.TrimSpace(v)
	switch {
	case v == "" && required:
		p.Add(field, domain.FieldRequired, "is required")
	case utf8.RuneCountInString(v) > max:
		p.Add(field, domain.FieldTooLong, "is too long")
	}
	return v
}
