package mediation

import "github.com/tiaojie/tiaojie/domain"

// ReviewStage is where a record stands in two-level approval (两级审批): the
// station's police reviewer first, then a supervisor of the district.
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
	IsSupervisor bool
	// ApprovedFirst: they approved this round's first level. Two-level
	// approval means two people: holding both roles, one person could
	// otherwise approve both levels.
	ApprovedFirst bool
}

// NextReview applies one review action. The author edits and submits; a
// police officer of the station (not the author) takes the first level; a
// supervisor the second, someone other than the first level's approver.
// Returning needs a comment.
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
			allowed, next = who.IsPolice && !who.IsAuthor, ReviewPendingSupervisor
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
