package api

import (
	"context"
	"net/http"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/casereview"
)

// CaseReviewService is what the case-review handlers need of the domain.
type CaseReviewService interface {
	Pick(ctx context.Context, a domain.Actor, requestID int64, category, comment string) (*casereview.Entry, error)
	Withdraw(ctx context.Context, a domain.Actor, id int64, reason string) (*casereview.Review, error)
	Library(ctx context.Context, a domain.Actor, category string, before int64, limit int) ([]casereview.Entry, error)
	Get(ctx context.Context, a domain.Actor, id int64) (*casereview.Entry, error)
	Categories(ctx context.Context, a domain.Actor) (map[string]int, error)
}

type reviewedSessionDTO struct {
	HeldAt  time.Time `json:"held_at"`
	Summary string    `json:"summary"`
}

// reviewedCaseDTO is a reviewed case as the library shows it: no parties,
// no filer, no place; names, phones and ID numbers masked in the texts.
type reviewedCaseDTO struct {
	RequestID      int64                `json:"request_id"`
	StationID      int64                `json:"station_id"`
	Kind           string               `json:"kind"`
	Category       string               `json:"category"`
	Classification string               `json:"classification"`
	Outcome        string               `json:"outcome"`
	FiledAt        time.Time            `json:"filed_at"`
	ClosedAt       *time.Time           `json:"closed_at"`
	Description    string               `json:"description"`
	Sessions       []reviewedSessionDTO `json:"sessions"`
	AgreementTerms string               `json:"agreement_terms"`
	AmountFen      int64                `json:"amount_fen"`
}

type caseReviewDTO struct {
	ID             int64            `json:"id"`
	RequestID      int64            `json:"request_id"`
	Category       string           `json:"category"`
	Comment        string           `json:"comment"`
	ReviewerID     int64            `json:"reviewer_id"`
	CreatedAt      time.Time        `json:"created_at"`
	WithdrawnAt    *time.Time       `json:"withdrawn_at"`
	WithdrawReason *string          `json:"withdraw_reason"`
	Case           *reviewedCaseDTO `json:"case,omitempty"`
}

func (s *Server) toCaseReviewDTO(r casereview.Review, c *casereview.Case) caseReviewDTO {
	d := caseReviewDTO{ID: r.ID, RequestID: r.RequestID, Category: r.Category, Comment: r.Comment, ReviewerID: r.ReviewerID,
		CreatedAt: r.CreatedAt.In(s.loc), WithdrawnAt: inLoc(r.WithdrawnAt, s.loc)}
	if r.WithdrawnAt != nil {
		d.WithdrawReason = &r.WithdrawReason
	}
	if c != nil {
		rc := &reviewedCaseDTO{RequestID: c.RequestID, StationID: c.StationID, Kind: c.Kind, Category: c.Category, Classification: c.Classification,
			Outcome: c.Outcome, FiledAt: c.FiledAt.In(s.loc), ClosedAt: inLoc(c.ClosedAt, s.loc), Description: c.Description,
			Sessions: []reviewedSessionDTO{}, AgreementTerms: c.AgreementTerms, AmountFen: c.AmountFen}
		for _, x := range c.Sessions {
			rc.Sessions = append(rc.Sessions, reviewedSessionDTO{HeldAt: x.HeldAt.In(s.loc), Summary: x.Summary})
		}
		d.Case = rc
	}
	return d
}

func (s *Server) pickCaseReview(c *fiber.Ctx) error {
	var body struct {
		RequestID int64  `json:"request_id"`
		Category  string `json:"category"`
		Comment   string `json:"comment"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	if body.RequestID <= 0 {
		return domain.Invalid(domain.FieldError{Field: "request_id", Code: domain.FieldRequired, Message: "is the concluded case"})
	}
	e, err := s.caseReviews.Pick(c.UserContext(), s.actor(c), body.RequestID, body.Category, body.Comment)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toCaseReviewDTO(e.Review, &e.Case))
}

func (s *Server) withdrawCaseReview(c *fiber.Ctx) error {
	var body struct {
		Reason string `json:"reason"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	r, err := s.caseReviews.Withdraw(c.UserContext(), s.actor(c), id, body.Reason)
	if err != nil {
		return err
	}
	return c.JSON(s.toCaseReviewDTO(*r, nil))
}

func (s *Server) caseReviewLibrary(c *fiber.Ctx) error {
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	list, err := s.caseReviews.Library(c.UserContext(), s.actor(c), c.Query("category"), before, limit)
	if err != nil {
		return err
	}
	out := make([]caseReviewDTO, len(list))
	for i := range list {
		out[i] = s.toCaseReviewDTO(list[i].Review, &list[i].Case)
	}
	return c.JSON(newPage(out, limit, func(d caseReviewDTO) int64 { return d.ID }))
}

func (s *Server) getCaseReview(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	e, err := s.caseReviews.Get(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(s.toCaseReviewDTO(e.Review, &e.Case))
}

func (s *Server) caseReviewCategories(c *fiber.Ctx) error {
	counts, err := s.caseReviews.Categories(c.UserContext(), s.actor(c))
	if err != nil {
		return err
	}
	type row struct {
		Category string `json:"category"`
		Count    int    `json:"count"`
	}
	out := []row{}
	for k, n := range counts {
		out = append(out, row{k, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Category < out[j].Category })
	return c.JSON(fiber.Map{"items": out})
}
