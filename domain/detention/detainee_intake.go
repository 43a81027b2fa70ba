package detention

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// NewIntake is what staff register when a person arrives (收拘登记).
type NewIntake struct {
	CentreID          int64 // 0: the actor's own centre
	HomeStationID     int64
	Name              string
	IDNumber          string // the full number: hashed and masked, never stored
	CaseCause         string
	Punishment        string
	PunishmentFrom    time.Time
	PunishmentTo      time.Time
	HealthNotes       string
	DisputeBackground string
	PriorRecords      string
	Family            []NewFamilyLink
}

// NewFamilyLink names a family member by account or by mobile number.
type NewFamilyLink struct {
	UserID       int64
	Phone        string
	Relationship string
}

// Profile is the one-page view of a detainee (人员画像).
type Profile struct {
	Detainee     Detainee
	Risk         RiskScore // the score today, with the factors that count
	Family       []FamilyLink
	Behaviours   []BehaviourRecord
	LabelHistory []LabelChange
	FollowUp     *FollowUp
	Joints       []JointMediation
}

var idNumberShape = regexp.MustCompile(`^\d{17}[\dX]$`)

func (n *NewIntake) validate() (NewIntake, error) {
	var p domain.Problems
	v := *n
	v.Name = checkText(&p, "name", n.Name, true, 50)
	v.IDNumber = strings.ToUpper(strings.TrimSpace(n.IDNumber))
	if v.IDNumber == "" {
		p.Add("id_number", domain.FieldRequired, "is required")
	} else if !idNumberShape.MatchString(v.IDNumber) {
		p.Add("id_number", domain.FieldInvalid, "is an 18-character resident ID number")
	}
	v.CaseCause = checkText(&p, "case_cause", n.CaseCause, true, 500)
	v.Punishment = checkText(&p, "punishment", n.Punishment, true, 200)
	if n.PunishmentFrom.IsZero() {
		p.Add("punishment_from", domain.FieldRequired, "is required")
	}
	if n.PunishmentTo.IsZero() {
		p.Add("punishment_to", domain.FieldRequired, "is required")
	} else if !n.PunishmentFrom.IsZero() && n.PunishmentTo.Before(n.PunishmentFrom) {
		p.Add("punishment_to", domain.FieldOutOfRange, "is before punishment_from")
	}
	if n.HomeStationID <= 0 {
		p.Add("home_station_id", domain.FieldRequired, "is required")
	}
	v.HealthNotes = checkText(&p, "health_notes", n.HealthNotes, false, 2000)
	v.DisputeBackground = checkText(&p, "dispute_background", n.DisputeBackground, false, 2000)
	v.PriorRecords = checkText(&p, "prior_records", n.PriorRecords, false, 2000)
	if len(n.Family) > 10 {
		p.Add("family", domain.FieldTooLong, "lists at most 10 people")
	}
	v.Family = make([]NewFamilyLink, len(n.Family))
	for i, f := range n.Family {
		f.Relationship = checkText(&p, fmt.Sprintf("family[%d].relationship", i), f.Relationship, false, 20)
		v.Family[i] = f
		if f.UserID <= 0 && strings.TrimSpace(f.Phone) == "" {
			p.Add(fmt.Sprintf("family[%d].user_id", i), domain.FieldRequired, "give user_id or phone")
		}
	}
	return v, p.Err()
}

// Intake registers a detainee at a centre the actor works, computes their
// risk label, links their family and, for a yellow or red label, asks the
// centre for extra attention with a work order.
func (s *Custody) Intake(ctx context.Context, a domain.Actor, n NewIntake) (*Detainee, error) {
	v, err := n.validate()
	if err != nil {
		return nil, err
	}
	if v.CentreID == 0 {
		v.CentreID = a.OrgID
	}
	if err := s.checkCentre(ctx, a, v.CentreID); err != nil {
		return nil, err
	}
	if st, err := s.Orgs.Org(ctx, v.HomeStationID); err != nil || st.Kind != OrgKindStation {
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return nil, err
		}
		return nil, domain.Invalid(domain.FieldError{Field: "home_station_id", Code: domain.FieldDoesNotExist, Message: "is not a police station"})
	}
	hash, err := s.hashIDNumber(v.IDNumber)
	if err != nil {
		return nil, err
	}
	family, err := s.resolveFamily(ctx, v.Family)
	if err != nil {
		return nil, err
	}
	var out *Detainee
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if _, found, err := s.Detainees.DetainedByIDHash(ctx, v.CentreID, hash); err != nil {
			return err
		} else if found {
			return domain.Errorf(domain.KindConflict, "detainee.already_detained", "This person is already detained here.")
		}
		now := s.Clock.Now()
		d := &Detainee{CentreID: v.CentreID, HomeStationID: v.HomeStationID, Name: v.Name, IDNumberMasked: domain.MaskIDNumber(v.IDNumber),
			IDNumberHash: hash, CaseCause: v.CaseCause, Punishment: v.Punishment, PunishmentFrom: v.PunishmentFrom, PunishmentTo: v.PunishmentTo,
			HealthNotes: v.HealthNotes, DisputeBackground: v.DisputeBackground, PriorRecords: v.PriorRecords, Status: Detained,
			CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now, Version: 1}
		score := s.Risk.Score(d, nil)
		d.Label, d.Score = score.Label, score.Score
		if err := s.Detainees.CreateDetainee(ctx, d); err != nil {
			return err
		}
		change := &LabelChange{DetaineeID: d.ID, At: now, ActorID: a.UserID, To: d.Label, Score: d.Score, Source: LabelByIntake,
			Reason: strings.Join(score.Reasons, ",")}
		if err := s.recordLabel(ctx, a, d, change); err != nil {
			return err
		}
		for i, f := range family {
			l := &FamilyLink{DetaineeID: d.ID, UserID: f.UserID, Relationship: v.Family[i].Relationship, LinkedBy: a.UserID, CreatedAt: now}
			if _, err := s.Detainees.AddFamily(ctx, l); err != nil {
				return err
			}
		}
		out = d
		return s.audit(ctx, a, now, "detainee.intake", "detainee", d.ID, string(d.Label))
	})
	return out, err
}

// checkCentre: the centre exists and the actor works it; anything else is
// not found, so that outsiders learn nothing.
func (s *Custody) checkCentre(ctx context.Context, a domain.Actor, centreID int64) error {
	ok, err := s.runsCentre(ctx, a, centreID)
	if err != nil {
		return err
	}
	if ok {
		c, err := s.Orgs.Org(ctx, centreID)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return err
		}
		ok = err == nil && c.Kind == OrgKindCentre
	}
	if !ok {
		return domain.Errorf(domain.KindNotFound, "detention_center.not_found", "No such detention centre.")
	}
	return nil
}

// resolveFamily turns each named family member into a citizen account.
func (s *Custody) resolveFamily(ctx context.Context, links []NewFamilyLink) ([]NewFamilyLink, error) {
	var p domain.Problems
	out := make([]NewFamilyLink, len(links))
	for i, l := range links {
		out[i] = l
		if l.UserID > 0 {
			ok, err := s.People.IsCitizen(ctx, l.UserID)
			if err != nil {
				return nil, err
			}
			if !ok {
				p.Add(fmt.Sprintf("family[%d].user_id", i), domain.FieldDoesNotExist, "is not a citizen account")
			}
			continue
		}
		id, found, err := s.People.CitizenByPhone(ctx, strings.TrimSpace(l.Phone))
		if err != nil {
			return nil, err
		}
		if !found {
			p.Add(fmt.Sprintf("family[%d].phone", i), domain.FieldDoesNotExist, "has no citizen account; ask them to sign in once")
		}
		out[i].UserID = id
	}
	return out, p.Err()
}

// visibleDetainee loads a detainee of a centre the actor works; anything
// else is not found.
func (s *Custody) visibleDetainee(ctx context.Context, a domain.Actor, id int64) (*Detainee, error) {
	d, err := s.Detainees.Detainee(ctx, id)
	if err != nil {
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, detaineeNotFound()
		}
		return nil, err
	}
	ok, err := s.runsCentre(ctx, a, d.CentreID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, detaineeNotFound()
	}
	return d, nil
}

func detaineeNotFound() error {
	return domain.Errorf(domain.KindNotFound, "detainee.not_found", "No such detainee.")
}

// Profile is the one-page view of a detainee; reading it is audited.
func (s *Custody) Profile(ctx context.Context, a domain.Actor, id int64) (*Profile, error) {
	d, err := s.visibleDetainee(ctx, a, id)
	if err != nil {
		return nil, err
	}
	p := &Profile{Detainee: *d}
	if p.Family, err = s.Detainees.Family(ctx, id); err != nil {
		return nil, err
	}
	if err := s.nameFamily(ctx, p.Family); err != nil {
		return nil, err
	}
	if p.Behaviours, err = s.Detainees.Behaviours(ctx, id); err != nil {
		return nil, err
	}
	if p.LabelHistory, err = s.Detainees.LabelHistory(ctx, id); err != nil {
		return nil, err
	}
	p.Risk = s.Risk.Score(d, p.Behaviours)
	if f, found, err := s.FollowUps.FollowUpOf(ctx, id); err != nil {
		return nil, err
	} else if found {
		p.FollowUp = f
	}
	if p.Joints, err = s.Joints.JointsOf(ctx, id); err != nil {
		return nil, err
	}
	return p, s.audit(ctx, a, s.Clock.Now(), "detainee.read", "detainee", id, "")
}

// ListDetainees pages the detainees of the centres the actor works, newest
// first; f.Centres narrows to some of them.
func (s *Custody) ListDetainees(ctx context.Context, a domain.Actor, f DetaineeFilter) ([]Detainee, error) {
	mine, err := s.centresOf(ctx, a)
	if err != nil {
		return nil, err
	}
	if len(f.Centres) > 0 {
		var keep []int64
		for _, c := range f.Centres {
			for _, m := range mine {
				if c == m {
					keep = append(keep, c)
				}
			}
		}
		mine = keep
	}
	if len(mine) == 0 {
		return nil, nil
	}
	var p domain.Problems
	if f.Label != "" && !f.Label.Valid() {
		p.Add("label", domain.FieldInvalid, "is blue, yellow or red")
	}
	switch f.Status {
	case "", Detained, Released, Transferred:
	default:
		p.Add("status", domain.FieldInvalid, "is detained, released or transferred")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	f.Centres = mine
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	list, err := s.Detainees.Detainees(ctx, f)
	if err != nil || len(list) == 0 {
		return list, err
	}
	// The page carries health notes and case causes: audited like a
	// detail view.
	ids := make([]int64, len(list))
	for i := range list {
		ids[i] = list[i].ID
	}
	return list, s.Audit.Audit(ctx, domain.AuditOfList(a, s.Clock.Now(), "detainee.list", "detainee", ids))
}

// LinkFamily registers a citizen (by account or mobile number) as family of
// a detainee. Linking someone already linked changes nothing.
func (s *Custody) LinkFamily(ctx context.Context, a domain.Actor, detaineeID int64, n NewFamilyLink) (*FamilyLink, error) {
	var p domain.Problems
	n.Relationship = checkText(&p, "relationship", n.Relationship, false, 20)
	if n.UserID <= 0 && strings.TrimSpace(n.Phone) == "" {
		p.Add("user_id", domain.FieldRequired, "give user_id or phone")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if _, err := s.visibleDetainee(ctx, a, detaineeID); err != nil {
		return nil, err
	}
	resolved, err := s.resolveFamily(ctx, []NewFamilyLink{n})
	if err != nil {
		return nil, unprefixFamily(err)
	}
	l := &FamilyLink{DetaineeID: detaineeID, UserID: resolved[0].UserID, Relationship: n.Relationship, LinkedBy: a.UserID}
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		l.CreatedAt = s.Clock.Now()
		added, err := s.Detainees.AddFamily(ctx, l)
		if err != nil || !added {
			return err
		}
		return s.audit(ctx, a, l.CreatedAt, "detainee.family_link", "detainee", detaineeID, fmt.Sprintf("user %d", l.UserID))
	})
	if err != nil {
		return nil, err
	}
	links := []FamilyLink{*l}
	if err := s.nameFamily(ctx, links); err != nil {
		return nil, err
	}
	return &links[0], nil
}

// nameFamily fills in the family members' names.
func (s *Custody) nameFamily(ctx context.Context, links []FamilyLink) error {
	if s.FamilyNames == nil || len(links) == 0 {
		return nil
	}
	ids := make([]int64, len(links))
	for i, l := range links {
		ids[i] = l.UserID
	}
	names, err := s.FamilyNames.CitizenNames(ctx, ids)
	if err != nil {
		return err
	}
	for i := range links {
		links[i].Name = names[links[i].UserID]
	}
	return nil
}

// unprefixFamily renames "family[0].phone" to "phone" for the one-link form.
func unprefixFamily(err error) error {
	e, ok := domain.AsError(err)
	if !ok || e.Kind != domain.KindInvalid {
		return err
	}
	fields := make([]domain.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		f.Field = strings.TrimPrefix(f.Field, "family[0].")
		fields[i] = f
	}
	return domain.Invalid(fields...)
}
