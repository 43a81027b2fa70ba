package api

import (
	"context"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
)

// DirectoryService is the lawyer and mediator directory.
type DirectoryService interface {
	Lawyers(ctx context.Context, f account.LawyerFilter) ([]account.Profile, error)
	Lawyer(ctx context.Context, id int64) (*account.Profile, error)
}

type profileDTO struct {
	ID              int64    `json:"id"`
	Kind            string   `json:"kind"`
	Name            string   `json:"name"`
	FirmID          *int64   `json:"firm_id"`
	FirmName        string   `json:"firm_name"`
	StationIDs      []int64  `json:"station_ids"`
	Specialties     []string `json:"specialties"`
	Languages       []string `json:"languages"`
	YearsOfPractice int      `json:"years_of_practice"`
	Bio             string   `json:"bio"`
	OpenCases       int      `json:"open_cases"`
	Rating          float64  `json:"rating"`
	Ratings         int      `json:"ratings"`
	OnDutyNow       bool     `json:"on_duty_now"`
	DutyHours       string   `json:"duty_hours"`
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func hhmm(d time.Duration) string {
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Add(d).Format("15:04")
}

func toProfileDTO(p *account.Profile) profileDTO {
	to := hhmm(p.DutyTo)
	if p.DutyTo == 24*time.Hour {
		to = "24:00"
	}
	return profileDTO{ID: p.UserID, Kind: p.Kind, Name: p.Name, FirmID: optID(p.FirmID), FirmName: p.FirmName, StationIDs: orEmpty(p.Stations),
		Specialties: orEmpty(p.Specialties), Languages: orEmpty(p.Languages), YearsOfPractice: p.YearsOfPractice, Bio: p.Bio,
		OpenCases: p.OpenCases, Rating: p.Rating, Ratings: p.Ratings, OnDutyNow: p.OnDutyNow, DutyHours: hhmm(p.DutyFrom) + "-" + to}
}

// listProfiles serves /lawyers and /mediators.
func (s *Server) listProfiles(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		f := account.LawyerFilter{Kind: kind, Specialty: c.Query("specialty"), SortBy: c.Query("sort")}
		if v := c.Query("station_id"); v != "" {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				return domain.Invalid(domain.FieldError{Field: "station_id", Code: domain.FieldInvalid, Message: "is not an ID"})
			}
			f.StationID = id
		}
		if v := c.Query("available"); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return domain.Invalid(domain.FieldError{Field: "available", Code: domain.FieldInvalid, Message: "is true or false"})
			}
			f.AvailableNow = b
		}
		ps, err := s.directory.Lawyers(c.UserContext(), f)
		if err != nil {
			return err
		}
		out := make([]profileDTO, len(ps))
		for i := range ps {
			out[i] = toProfileDTO(&ps[i])
		}
		return c.JSON(out)
	}
}

func (s *Server) getProfile(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		p, err := s.directory.Lawyer(c.UserContext(), id)
		if err != nil {
			return err
		}
		if p.Kind != kind {
			return domain.Errorf(domain.KindNotFound, "lawyer.not_found", "No such lawyer or mediator.")
		}
		return c.JSON(toProfileDTO(p))
	}
}
