package api

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
)

type tagDTO struct {
	Tag string `json:"tag"`
}

type tagsDTO struct {
	Tags []string `json:"tags"`
}

func tagList(tags []string) tagsDTO {
	if tags == nil {
		tags = []string{}
	}
	return tagsDTO{Tags: tags}
}

func (s *Server) addTag(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var body tagDTO
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	tags, err := s.mediation.AddTag(c.UserContext(), s.actor(c), id, body.Tag)
	if err != nil {
		return err
	}
	return c.JSON(tagList(tags))
}

func (s *Server) removeTag(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	// Tags are Chinese: the path segment arrives percent-encoded.
	tag, err := url.PathUnescape(c.Params("tag"))
	if err != nil {
		return domain.Invalid(domain.FieldError{Field: "tag", Code: domain.FieldInvalid, Message: "is not a tag"})
	}
	tags, err := s.mediation.RemoveTag(c.UserContext(), s.actor(c), id, tag)
	if err != nil {
		return err
	}
	return c.JSON(tagList(tags))
}

type vocabularyDTO struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"org_id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

type newVocabularyDTO struct {
	OrgID int64  `json:"org_id"`
	Name  string `json:"name"`
}

func (s *Server) toVocabularyDTO(v m.VocabularyTag) vocabularyDTO {
	return vocabularyDTO{ID: v.ID, OrgID: v.OrgID, Name: v.Name, CreatedAt: v.CreatedAt.In(s.loc)}
}

func (s *Server) tagVocabulary(c *fiber.Ctx) error {
	station, err := strconv.ParseInt(c.Query("station_id"), 10, 64)
	if err != nil || station <= 0 {
		return domain.Invalid(domain.FieldError{Field: "station_id", Code: domain.FieldRequired, Message: "is required"})
	}
	items, err := s.mediation.TagVocabulary(c.UserContext(), s.actor(c), station)
	if err != nil {
		return err
	}
	out := make([]vocabularyDTO, len(items))
	for i, v := range items {
		out[i] = s.toVocabularyDTO(v)
	}
	return c.JSON(fiber.Map{"items": out})
}

func (s *Server) addVocabularyTag(c *fiber.Ctx) error {
	var body newVocabularyDTO
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	v, err := s.mediation.AddVocabularyTag(c.UserContext(), s.actor(c), body.OrgID, body.Name)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toVocabularyDTO(*v))
}

func (s *Server) removeVocabularyTag(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.mediation.RemoveVocabularyTag(c.UserContext(), s.actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}
