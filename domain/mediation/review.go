package mediation

import (
	"context"

	"github.com/tiaojie/tiaojie/domain"
)

// ReviewStage is where a record stands in two-level approval (两级审批): the
// first level at the station, the second with a supervisor of the district.
//
// Who takes the first level: another police officer of the case's station,
// that is an officer who did not write the record. Where the station has no
// such officer — the record's author is its only officer, as when a
// public-security case is led by a station's one officer — the first level
// falls to the supervisors over the station (those of its parent unit, who
// also take the second level), so that a record can always be approved.
// The author never reviews their own record at either level.
type ReviewStage string

const (
	ReviewDraft             ReviewStage = "draft"
	ReviewPendingPolice     ReviewStage = "pending_police"
	ReviewPendingSupervisor ReviewStage = "pending_supervisor"
	ReviewApproved          ReviewStage = "approved"
	ReviewReturned          ReviewStage = "returned"
)

// ReviewStages lists every stage.
var ReviewStages = []ReviewStage{ReviewDraft, ReviewPendingPolice, ReviewPendingSupervisor, ReviewApproved, ReviewReturned}

// ReviewAction is something done to a record in review.
type ReviewAction string

const (
	ReviewSubmit  ReviewAction = "submit"  // the author sends it for review
	ReviewApprove ReviewAction = "approve" // the reviewer of this stage approves
	ReviewReturn  ReviewAction = "return"  // the reviewer of this stage sends it back with comments
	ReviewEdit    ReviewAction = "edit"    // the author changes it
)

// ReviewActions lists every review action.
var ReviewActions = []ReviewAction{ReviewSubmit, ReviewApprove, ReviewReturn, ReviewEdit}

// Reviewer says who is acting on a record, as far as review cares.
type Reviewer struct {
	IsAuthor     bool
	IsPolice     bool // a police officer of the case's station
	IsSupervisor bool // a supervisor over the case's station
	// OtherOfficer: the station has a police officer who is not the
	// record's author. Without one the first level is the supervisors'.
	OtherOfficer bool
	// ApprovedFirst: they approved this round's first level. Two-level
	// approval means two people: holding both roles, or standing in for a
	// station without another officer, one person could otherwise approve
	// both levels.
	ApprovedFirst bool
}

// NextReview applies one review action. The author edits and submits; a
// police officer of the station (not the author) takes the first level, or a
// supervisor where the station has no officer but the author (see
// ReviewStage); a supervisor the second, someone other than the first
// level's approver. Returning needs a comment.
func NextReview(stage ReviewStage, a ReviewAction, who Reviewer, comment string) (ReviewStage, error) {
	illegal := domain.Errorf(domain.KindFailedPrecondition, "record.illegal_review",
		"A record that is %s cannot take %s.", stage, a)
	forbidden := domain.Errorf(domain.KindForbidden, "record.not_your_review",
		"You may not %s a record that is %s.", a, stage)
	switch a {
	case ReviewEdit, ReviewSubmit:
		if stage != ReviewDraft && stage != ReviewReturned {
			return "", illegal
		}
		if !who.IsAuthor {
			return "", forbidden
		}
		if a == ReviewEdit {
			return stage, nil
		}
		return ReviewPendingPolice, nil
	case ReviewApprove, ReviewReturn:
		var allowed bool
		var next ReviewStage
		switch stage {
		case ReviewPendingPolice:
			levelOne := who.IsPolice || who.IsSupervisor && !who.OtherOfficer
			allowed, next = levelOne && !who.IsAuthor, ReviewPendingSupervisor
		case ReviewPendingSupervisor:
			allowed, next = who.IsSupervisor && !who.IsAuthor && !who.ApprovedFirst, ReviewApproved
		default:
			return "", illegal
		}
		if !allowed {
			return "", forbidden
		}
		if a == ReviewReturn {
			if comment == "" {
				return "", domain.Invalid(domain.FieldError{Field: "comment", Code: domain.FieldRequired, Message: "say why the record is returned"})
			}
			return ReviewReturned, nil
		}
		return next, nil
	}
	return "", illegal
}

// reviewer says who a is to the record of r, as NextReview needs it.
func (s *Service) reviewer(ctx context.Context, a domain.Actor, r *Request, rec *Record) (Reviewer, error) {
	inScope := false
	if a.Has(RolePolice, RoleSupervisor) {
		var err error
		if inScope, err = s.inScope(ctx, a, r.Filing.StationID); err != nil {
			return Reviewer{}, err
		}
	}
	who := Reviewer{IsAuthor: a.UserID == rec.AuthorID, IsPolice: a.Has(RolePolice) && inScope, IsSupervisor: a.Has(RoleSupervisor) && inScope}
	if who.IsSupervisor && rec.Review == ReviewPendingPolice {
		var err error
		who.OtherOfficer, err = s.hasOtherOfficer(ctx, r.Filing.StationID, rec.AuthorID)
		return who, err
	}
	return who, nil
}

// hasOtherOfficer reports whether an enabled police officer of the station
// other than the record's author can take the first level.
func (s *Service) hasOtherOfficer(ctx context.Context, stationID, authorID int64) (bool, error) {
	people, err := s.Directory.Candidates(ctx, stationID)
	if err != nil {
		return false, err
	}
	for _, c := range people {
		if c.Side == SidePolice && c.UserID != authorID && c.serves(stationID) {
			return true, nil
		}
	}
	return false, nil
}

// levelOneUnit is the unit whose queue gets the first-level review order:
// the station, or the unit above it where the station has no officer but
// the author and its supervisors review instead.
func (s *Service) levelOneUnit(ctx context.Context, r *Request, rec *Record) (int64, error) {
	other, err := s.hasOtherOfficer(ctx, r.Filing.StationID, rec.AuthorID)
	if err != nil || other {
		return r.Filing.StationID, err
	}
	return s.Directory.ParentUnit(ctx, r.Filing.StationID)
}
