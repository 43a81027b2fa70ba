package api

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/dutywork"
)

// DutyWorkService is what the duty-work handlers need of the domain.
type DutyWorkService interface {
	Record(ctx context.Context, a domain.Actor, in dutywork.Input, idemKey string) (*dutywork.Record, bool, error)
	List(ctx context.Context, a domain.Actor, f dutywork.Filter) ([]dutywork.Record, error)
	Get(ctx context.Context, a domain.Actor, id int64) (*dutywork.Record, error)
	AddPhoto(ctx context.Context, a domain.Actor, recordID int64, body io.Reader) (*dutywork.Photo, error)
	OpenPhoto(ctx context.Context, a domain.Actor, recordID, photoID int64) (*dutywork.Photo, io.ReadCloser, error)
}

type newDutyWorkDTO struct {
	Kind      string     `json:"kind"`
	StationID int64      `json:"station_id"`
	At        *time.Time `json:"at"`
	Minutes   int        `json:"minutes"`
	Topic     string     `json:"topic"`
	Person    string     `json:"person"`
	Summary   string     `json:"summary"`
	Place     string     `json:"place"`
	Audience  string     `json:"audience"`
	Attendees int        `json:"attendees"`
	OfficerID int64      `json:"officer_id"`
}

type dutyPhotoDTO struct {
	ID          int64     `json:"id"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	CreatedAt   time.Time `json:"created_at"`
}

type dutyWorkDTO struct {
	ID        int64          `json:"id"`
	Kind      string         `json:"kind"`
	LawyerID  int64          `json:"lawyer_id"`
	FirmID    *int64         `json:"firm_id"`
	StationID int64          `json:"station_id"`
	At        time.Time      `json:"at"`
	Minutes   int            `json:"minutes"`
	Topic     string         `json:"topic"`
	Person    *string        `json:"person"`
	Summary   string         `json:"summary"`
	Place     *string        `json:"place"`
	Audience  *string        `json:"audience"`
	Attendees *int           `json:"attendees"`
	OfficerID *int64         `json:"officer_id"`
	Photos    []dutyPhotoDTO `json:"photos"`
	CreatedAt time.Time      `json:"created_at"`
}

func (s *Server) toDutyWorkDTO(r *dutywork.Record) dutyWorkDTO {
	d := dutyWorkDTO{ID: r.ID, Kind: string(r.Kind), LawyerID: r.LawyerID, FirmID: optID(r.FirmID), StationID: r.StationID, At: r.At.In(s.loc),
		Minutes: r.Minutes, Topic: r.Topic, Summary: r.Summary, OfficerID: optID(r.OfficerID), Photos: []dutyPhotoDTO{}, CreatedAt: r.CreatedAt.In(s.loc)}
	switch r.Kind {
	case dutywork.Consultation:
		d.Person = optString(r.Person)
	case dutywork.Education:
		d.Place, d.Audience, d.Attendees = optString(r.Place), optString(r.Audience), &r.Attendees
	}
	for _, p := range r.Photos {
		d.Photos = append(d.Photos, dutyPhotoDTO{ID: p.ID, ContentType: p.ContentType, Size: p.Size, CreatedAt: p.CreatedAt.In(s.loc)})
	}
	return d
}

func (s *Server) recordDutyWork(c *fiber.Ctx) error {
	var body newDutyWorkDTO
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	in := dutywork.Input{Kind: dutywork.Kind(body.Kind), StationID: body.StationID, Minutes: body.Minutes, Topic: body.Topic, Person: body.Person,
		Summary: body.Summary, Place: body.Place, Audience: body.Audience, Attendees: body.Attendees, OfficerID: body.OfficerID}
	if body.At != nil {
		in.At = *body.At
	}
	r, created, err := s.dutyWork.Record(c.UserContext(), s.actor(c), in, utils.CopyString(c.Get("Idempotency-Key")))
	if err != nil {
		return err
	}
	if !created {
		c.Set("Idempotent-Replayed", "true")
	}
	return c.Status(http.StatusCreated).JSON(s.toDutyWorkDTO(r))
}

func (s *Server) listDutyWork(c *fiber.Ctx) error {
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	f := dutywork.Filter{Kind: dutywork.Kind(c.Query("kind")), Before: before, Limit: limit}
	var p domain.Problems
	for name, dst := range map[string]*int64{"station_id": nil, "firm_id": &f.FirmID, "lawyer_id": &f.LawyerID} {
		v := c.Query(name)
		if v == "" {
			continue
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			p.Add(name, domain.FieldInvalid, "is an ID")
			continue
		}
		if dst == nil {
			f.Stations = []int64{id}
		} else {
			*dst = id
		}
	}
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
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
	list, err := s.dutyWork.List(c.UserContext(), s.actor(c), f)
	if err != nil {
		return err
	}
	out := make([]dutyWorkDTO, len(list))
	for i := range list {
		out[i] = s.toDutyWorkDTO(&list[i])
	}
	return c.JSON(newPage(out, limit, func(d dutyWorkDTO) int64 { return d.ID }))
}

func (s *Server) getDutyWork(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.dutyWork.Get(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(s.toDutyWorkDTO(r))
}

func (s *Server) addDutyPhoto(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return domain.Invalid(domain.FieldError{Field: "file", Code: domain.FieldRequired, Message: "send the photo as multipart/form-data field \"file\""})
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	p, err := s.dutyWork.AddPhoto(c.UserContext(), s.actor(c), id, f)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(dutyPhotoDTO{ID: p.ID, ContentType: p.ContentType, Size: p.Size, CreatedAt: p.CreatedAt.In(s.loc)})
}

func (s *Server) getDutyPhoto(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	photoID, err := pathID(c, "photo_id")
	if err != nil {
		return err
	}
	p, rc, err := s.dutyWork.OpenPhoto(c.UserContext(), s.actor(c), id, photoID)
	if err != nil {
		return err
	}
	defer rc.Close()
	body, err := io.ReadAll(io.LimitReader(rc, p.Size+1))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, p.ContentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="photo-`+strconv.FormatInt(p.ID, 10)+extensionFor(p.ContentType)+`"`)
	return c.Send(body)
}

// dutyWorkLabels name the duties in CSV reports.
var dutyWorkLabels = map[string]string{"consultation": "法律咨询", "education": "法治宣传", "police_assist": "协助涉警事务"}
