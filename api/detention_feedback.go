package api

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	dt "github.com/tiaojie/tiaojie/domain/detention"
)

// Feedback on visits and joint mediations and the centre's statistics
// (拘调融合): VisitService.VisitFeedback, DetentionService.JointFeedback
// and DetentionService.Stats.

type feedbackBody struct {
	Stars   int    `json:"stars"`
	Comment string `json:"comment"`
}

type feedbackDTO struct {
	ID          int64     `json:"id"`
	CentreID    int64     `json:"centre_id"`
	SubjectType string    `json:"subject_type"`
	SubjectID   int64     `json:"subject_id"`
	Stars       int       `json:"stars"`
	Comment     string    `json:"comment"`
	CreatedAt   time.Time `json:"created_at"`
}

func (s *Server) giveFeedback(give func(ctx context.Context, a domain.Actor, id int64, stars int, comment string) (*dt.Feedback, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		var body feedbackBody
		if err := s.decodeJSON(c, &body); err != nil {
			return err
		}
		f, err := give(c.UserContext(), s.actor(c), id, body.Stars, body.Comment)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(s.toFeedbackDTO(f))
	}
}

func (s *Server) toFeedbackDTO(f *dt.Feedback) *feedbackDTO {
	if f == nil {
		return nil
	}
	return &feedbackDTO{ID: f.ID, CentreID: f.CentreID, SubjectType: f.Subject, SubjectID: f.SubjectID, Stars: f.Stars, Comment: f.Comment,
		CreatedAt: f.CreatedAt.In(s.loc)}
}

// myFeedback is the caller's own feedback on what a read shows (null: none
// yet), so that an app shows the rating given instead of the form.
type myFeedback struct {
	MyFeedback *feedbackDTO `json:"my_feedback"`
}

func (s *Server) visitFeedback(c *fiber.Ctx) error { return s.giveFeedback(s.visits.VisitFeedback)(c) }
func (s *Server) jointFeedback(c *fiber.Ctx) error { return s.giveFeedback(s.custody.JointFeedback)(c) }

type tallyDTO struct {
	Count   int64   `json:"count"`
	Average float64 `json:"average"`
}

func (s *Server) centreStats(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var p domain.Problems
	now := time.Now().In(s.loc)
	from, to := now.AddDate(0, -1, 0), now
	for name, dst := range map[string]*time.Time{"from": &from, "to": &to} {
		if v := c.Query(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				p.Add(name, domain.FieldInvalid, "is an RFC 3339 time")
			}
			*dst = t
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	st, err := s.custody.Stats(c.UserContext(), s.actor(c), id, from, to)
	if err != nil {
		return err
	}
	tally := func(t dt.FeedbackTally) tallyDTO { return tallyDTO{Count: t.Count, Average: t.Mean()} }
	return c.JSON(fiber.Map{"centre_id": st.CentreID, "from": st.From.In(s.loc), "to": st.To.In(s.loc),
		"visit_feedback": tally(st.VisitFeedback), "joint_feedback": tally(st.JointFeedback)})
}
