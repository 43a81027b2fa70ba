package api

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
)

// MediationService is what the mediation handlers need of the domain.
type MediationService interface {
	File(ctx context.Context, a domain.Actor, f m.Filing, idemKey string) (*m.Request, bool, error)
	Get(ctx context.Context, a domain.Actor, id int64) (*m.View, error)
	Timeline(ctx context.Context, a domain.Actor, id int64, p m.Page) ([]m.Event, error)
	List(ctx context.Context, a domain.Actor, p m.Page, statuses []m.Status) ([]m.Request, error)
	Screen(ctx context.Context, a domain.Actor, id int64, s m.Screening) (*m.Request, error)
	TransitionAnswered(ctx context.Context, a domain.Actor, id int64, action m.Action, note string, ans *m.Answer) (*m.Request, error)
	Assign(ctx context.Context, a domain.Actor, id int64, st m.Staffing) (*m.Request, error)
	SaveRecord(ctx context.Context, a domain.Actor, id int64, in m.RecordInput) (*m.Record, error)
	Review(ctx context.Context, a domain.Actor, id int64, action m.ReviewAction, comment string) (*m.Record, error)
	Rate(ctx context.Context, a domain.Actor, id int64, stars int, comment string) (*m.Request, error)
	AddAttachment(ctx context.Context, a domain.Actor, requestID int64, fileName string, body io.Reader) (*m.Attachment, error)
	OpenAttachment(ctx context.Context, a domain.Actor, requestID, attachmentID int64) (*m.Attachment, io.ReadCloser, error)
	Categories(ctx context.Context) ([]m.Category, error)
	ExportFiler(ctx context.Context, a domain.Actor, filerID int64) ([]m.View, error)
	JudicialService
	// Tags and custom search (api/tags.go, api/search.go).
	AddTag(ctx context.Context, a domain.Actor, id int64, tag string) ([]string, error)
	RemoveTag(ctx context.Context, a domain.Actor, id int64, tag string) ([]string, error)
	TagVocabulary(ctx context.Context, a domain.Actor, stationID int64) ([]m.VocabularyTag, error)
	AddVocabularyTag(ctx context.Context, a domain.Actor, orgID int64, name string) (*m.VocabularyTag, error)
	RemoveVocabularyTag(ctx context.Context, a domain.Actor, id int64) error
	SearchRequests(ctx context.Context, a domain.Actor, q m.Search, p m.Page) ([]m.Request, error)
	ExportRequests(ctx context.Context, a domain.Actor, q m.Search) ([]m.Request, error)
	CheckConflict(ctx context.Context, a domain.Actor, lawyerID int64, phone string) (*m.ConflictCheck, error)
}

func (s *Server) fileRequest(c *fiber.Ctx) error {
	var body fileRequestDTO
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	a := s.actor(c)
	req, created, err := s.mediation.File(c.UserContext(), a, body.toFiling(), utils.CopyString(c.Get("Idempotency-Key")))
	if err != nil {
		return err
	}
	if !created {
		c.Set("Idempotent-Replayed", "true")
	}
	return c.Status(http.StatusCreated).JSON(toRequestDTO(req, a, s.loc))
}

func (s *Server) listRequests(c *fiber.Ctx) error {
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	var statuses []m.Status
	if st := c.Query("status"); st != "" {
		if !m.Status(st).Valid() {
			return domain.Invalid(domain.FieldError{Field: "status", Code: domain.FieldUnsupported, Message: "is not a request status"})
		}
		statuses = []m.Status{m.Status(st)}
	}
	a := s.actor(c)
	items, err := s.mediation.List(c.UserContext(), a, m.Page{Before: before, Limit: limit}, statuses)
	if err != nil {
		return err
	}
	out := make([]requestDTO, len(items))
	for i := range items {
		out[i] = toRequestDTO(&items[i], a, s.loc)
	}
	return c.JSON(newPage(out, limit, func(r requestDTO) int64 { return r.ID }))
}

func (s *Server) getRequest(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	a := s.actor(c)
	v, err := s.mediation.Get(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	return c.JSON(toRequestDetailDTO(v, a, s.loc))
}

// listRequestEvents pages a request's timeline newest first, for whoever
// may read the request.
func (s *Server) listRequestEvents(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	a := s.actor(c)
	events, err := s.mediation.Timeline(c.UserContext(), a, id, m.Page{Before: before, Limit: limit})
	if err != nil {
		return err
	}
	filer := m.AudienceOf(a) == m.AudienceFiler
	out := make([]eventDTO, len(events))
	for i, e := range events {
		out[i] = toEventDTO(e, filer, s.loc)
	}
	return c.JSON(newPage(out, limit, func(e eventDTO) int64 { return e.ID }))
}

func (s *Server) screenRequest(c *fiber.Ctx) error {
	var body screenDTO
	return s.changeRequest(c, &body, func(ctx context.Context, a domain.Actor, id int64) (*m.Request, error) {
		return s.mediation.Screen(ctx, a, id, m.Screening{Classification: m.Classification(body.Classification), Reject: body.Reject, Reason: body.Reason})
	})
}

func (s *Server) transitionRequest(c *fiber.Ctx) error {
	var body transitionDTO
	return s.changeRequest(c, &body, func(ctx context.Context, a domain.Actor, id int64) (*m.Request, error) {
		return s.mediation.TransitionAnswered(ctx, a, id, m.Action(body.Action), body.Note, body.answer())
	})
}

// assignDTO names a lead and an assistant by hand; an absent one is kept.
type assignDTO struct {
	LeadID      int64  `json:"lead_id"`
	AssistantID int64  `json:"assistant_id"`
	Note        string `json:"note"`
}

func (s *Server) assignRequest(c *fiber.Ctx) error {
	var body assignDTO
	return s.changeRequest(c, &body, func(ctx context.Context, a domain.Actor, id int64) (*m.Request, error) {
		return s.mediation.Assign(ctx, a, id, m.Staffing{LeadID: body.LeadID, AssistantID: body.AssistantID, Note: body.Note})
	})
}

func (s *Server) rateRequest(c *fiber.Ctx) error {
	var body rateDTO
	return s.changeRequest(c, &body, func(ctx context.Context, a domain.Actor, id int64) (*m.Request, error) {
		return s.mediation.Rate(ctx, a, id, body.Stars, body.Comment)
	})
}

// changeRequest is the shape of every action on a request: read the ID and
// the body, act, answer with the request as it now stands.
func (s *Server) changeRequest(c *fiber.Ctx, body any, act func(ctx context.Context, a domain.Actor, id int64) (*m.Request, error)) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.decodeJSON(c, body); err != nil {
		return err
	}
	a := s.actor(c)
	r, err := act(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	return c.JSON(toRequestDTO(r, a, s.loc))
}

func (s *Server) saveRecord(c *fiber.Ctx) error {
	var body recordInputDTO
	return s.changeRecord(c, &body, func(ctx context.Context, a domain.Actor, id int64) (*m.Record, error) {
		return s.mediation.SaveRecord(ctx, a, id, body.toInput())
	})
}

func (s *Server) submitRecord(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	rec, err := s.mediation.Review(c.UserContext(), s.actor(c), id, m.ReviewSubmit, "")
	if err != nil {
		return err
	}
	return c.JSON(toRecordDTO(rec, s.loc))
}

func (s *Server) approveRecord(c *fiber.Ctx) error {
	var body approvalDTO
	return s.changeRecord(c, &body, func(ctx context.Context, a domain.Actor, id int64) (*m.Record, error) {
		action := map[string]m.ReviewAction{"approve": m.ReviewApprove, "return": m.ReviewReturn}[body.Decision]
		if action == "" {
			return nil, domain.Invalid(domain.FieldError{Field: "decision", Code: domain.FieldUnsupported, Message: "must be approve or return"})
		}
		return s.mediation.Review(ctx, a, id, action, body.Comment)
	})
}

func (s *Server) changeRecord(c *fiber.Ctx, body any, act func(ctx context.Context, a domain.Actor, id int64) (*m.Record, error)) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.decodeJSON(c, body); err != nil {
		return err
	}
	rec, err := act(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(toRecordDTO(rec, s.loc))
}

// addAttachment takes one file in a multipart form field named "file".
func (s *Server) addAttachment(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return domain.Invalid(domain.FieldError{Field: "file", Code: domain.FieldRequired, Message: "send the file as multipart/form-data field \"file\""})
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	att, err := s.mediation.AddAttachment(c.UserContext(), s.actor(c), id, utils.CopyString(fh.Filename), f)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(toAttachmentDTO(att, s.loc))
}

func (s *Server) getAttachment(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	attID, err := pathID(c, "attachment_id")
	if err != nil {
		return err
	}
	att, rc, err := s.mediation.OpenAttachment(c.UserContext(), s.actor(c), id, attID)
	if err != nil {
		return err
	}
	defer rc.Close()
	body, err := io.ReadAll(io.LimitReader(rc, att.Size+1))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, att.ContentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="attachment-`+strconv.FormatInt(att.ID, 10)+extensionFor(att.ContentType)+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(body)
}

func extensionFor(contentType string) string {
	return map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/heic": ".heic", "application/pdf": ".pdf"}[contentType]
}

func (s *Server) listCategories(c *fiber.Ctx) error {
	cats, err := s.mediation.Categories(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]categoryDTO, len(cats))
	for i, cat := range cats {
		out[i] = categoryDTO{Code: cat.Code, Label: cat.Label}
	}
	return c.JSON(out)
}
