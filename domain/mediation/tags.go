package mediation

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// Tags are the self-chosen labels (自选标签) staff put on a case so that
// cases group themselves in search and statistics. A station or its
// district keeps a vocabulary of suggested tags; staff may also write a
// free tag of their own. Tags are staff-internal ("家暴史", "欠薪群体"):
// citizens never see them, so adding one is audited but not written on the
// timeline the filer reads.

// Limits on tags.
const (
	MaxTagRunes   = 20
	MaxTagsOfCase = 20
)

// VocabularyTag is one suggested tag of an organisation (a station or the
// district above it).
type VocabularyTag struct {
	ID        int64
	OrgID     int64
	Name      string
	CreatedBy int64
	CreatedAt time.Time
}

// TagStore keeps the tags of cases and the organisations' vocabularies.
type TagStore interface {
	TagsOf(ctx context.Context, requestID int64) ([]string, error)
	// AddTag adds a tag to a request; added is false when it was there.
	AddTag(ctx context.Context, requestID int64, tag string, by int64, at time.Time) (added bool, err error)
	// RemoveTag removes a tag; removed is false when it was not there.
	RemoveTag(ctx context.Context, requestID int64, tag string) (removed bool, err error)
	Vocabulary(ctx context.Context, orgIDs []int64) ([]VocabularyTag, error)
	// AddVocabulary inserts an entry, setting its ID; the same name twice
	// in one organisation is a conflict.
	AddVocabulary(ctx context.Context, v *VocabularyTag) error
	VocabularyEntry(ctx context.Context, id int64) (*VocabularyTag, error)
	RemoveVocabulary(ctx context.Context, id int64) error
}

// ParseTag trims a tag and checks it: 1 to MaxTagRunes characters, no
// control characters or commas (tags are joined with "、" and "," in
// exports), no leading '=' '+' '-' '@' that spreadsheets read as formulas.
func ParseTag(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	bad := func(code, msg string) (string, error) {
		return "", domain.Invalid(domain.FieldError{Field: field, Code: code, Message: msg})
	}
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return bad(domain.FieldRequired, "is required")
	case n > MaxTagRunes:
		return bad(domain.FieldTooLong, "is at most 20 characters")
	}
	if strings.ContainsAny(s[:1], "=+-@") {
		return bad(domain.FieldInvalid, "may not start with = + - or @")
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == ',' || r == '，' || r == '、' || r == '/' {
			return bad(domain.FieldInvalid, "may not hold commas, slashes or control characters")
		}
	}
	return s, nil
}

// mayTag answers whether a staff member may change a request's tags: anyone
// on staff who may read it. Citizens never tag.
func (s *Service) mayTag(ctx context.Context, a domain.Actor, id int64) (*Request, error) {
	if a.Has(RoleCitizen) || !a.Has(RoleLawyer, RoleMediator, RolePolice, RoleSupervisor, RoleAdmin) {
		return nil, domain.Errorf(domain.KindForbidden, "tag.staff_only", "Only staff working the case tag it.")
	}
	r, err := s.Requests.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	return r, s.mayRead(ctx, a, r)
}

// AddTag puts a tag on a request the actor may see and answers the tags
// it now has; adding a tag it has changes nothing and audits nothing.
func (s *Service) AddTag(ctx context.Context, a domain.Actor, id int64, tag string) ([]string, error) {
	tag, err := ParseTag("tag", tag)
	if err != nil {
		return nil, err
	}
	var out []string
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.mayTag(ctx, a, id); err != nil {
			return err
		}
		have, err := s.Tags.TagsOf(ctx, id)
		if err != nil {
			return err
		}
		for _, t := range have {
			if t == tag {
				out = have
				return nil
			}
		}
		if len(have) >= MaxTagsOfCase {
			return domain.Errorf(domain.KindFailedPrecondition, "tag.too_many", "A case has at most %d tags.", MaxTagsOfCase)
		}
		now := s.Clock.Now()
		added, err := s.Tags.AddTag(ctx, id, tag, a.UserID, now)
		if err != nil {
			return err
		}
		if added { // a concurrent adder of the same tag wrote the audit line
			if err := s.Audit.Audit(ctx, domain.AuditOf(a, now, "request.tag_add", "request", id, tag)); err != nil {
				return err
			}
		}
		out, err = s.Tags.TagsOf(ctx, id)
		return err
	})
	return out, err
}

// RemoveTag takes a tag off a request the actor may see and answers the
// tags left; removing a tag it does not have is not found.
func (s *Service) RemoveTag(ctx context.Context, a domain.Actor, id int64, tag string) ([]string, error) {
	tag, err := ParseTag("tag", tag)
	if err != nil {
		return nil, err
	}
	var out []string
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.mayTag(ctx, a, id); err != nil {
			return err
		}
		removed, err := s.Tags.RemoveTag(ctx, id, tag)
		if err != nil {
			return err
		}
		if !removed {
			return domain.Errorf(domain.KindNotFound, "tag.not_found", "The case has no such tag.")
		}
		if err := s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "request.tag_remove", "request", id, tag)); err != nil {
			return err
		}
		out, err = s.Tags.TagsOf(ctx, id)
		return err
	})
	return out, err
}

// TagVocabulary lists the suggested tags for a station's cases: the
// station's own and its district's. Staff of the station (or district-wide
// staff) may read it.
func (s *Service) TagVocabulary(ctx context.Context, a domain.Actor, stationID int64) ([]VocabularyTag, error) {
	if a.Has(RoleCitizen) {
		return nil, domain.Errorf(domain.KindForbidden, "tag.staff_only", "Only staff working the case tag it.")
	}
	if ok, err := s.Directory.IsStation(ctx, stationID); err != nil {
		return nil, err
	} else if !ok {
		return nil, domain.Invalid(domain.FieldError{Field: "station_id", Code: domain.FieldDoesNotExist, Message: "is not a police station"})
	}
	if ok, err := s.inScope(ctx, a, stationID); err != nil {
		return nil, err
	} else if !ok {
		return nil, domain.Errorf(domain.KindForbidden, "tag.not_your_station", "That station is not one you serve.")
	}
	district, err := s.Directory.ParentUnit(ctx, stationID)
	if err != nil {
		return nil, err
	}
	orgs := []int64{stationID}
	if district != 0 {
		orgs = append(orgs, district)
	}
	return s.Tags.Vocabulary(ctx, orgs)
}

// AddVocabularyTag adds a suggested tag to an organisation: police to
// their own station, supervisors and admins to their district or a
// station in their scope.
func (s *Service) AddVocabularyTag(ctx context.Context, a domain.Actor, orgID int64, name string) (*VocabularyTag, error) {
	name, err := ParseTag("name", name)
	if err != nil {
		return nil, err
	}
	if err := s.mayKeepVocabulary(ctx, a, orgID); err != nil {
		return nil, err
	}
	v := &VocabularyTag{OrgID: orgID, Name: name, CreatedBy: a.UserID, CreatedAt: s.Clock.Now()}
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Tags.AddVocabulary(ctx, v); err != nil {
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, v.CreatedAt, "tag_vocabulary.add", "organization", orgID, name))
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// RemoveVocabularyTag removes a suggestion; cases keep the tags they have.
func (s *Service) RemoveVocabularyTag(ctx context.Context, a domain.Actor, id int64) error {
	return s.Tx.WithTx(ctx, func(ctx context.Context) error {
		v, err := s.Tags.VocabularyEntry(ctx, id)
		if err != nil {
			return err
		}
		if err := s.mayKeepVocabulary(ctx, a, v.OrgID); err != nil {
			// Someone else's suggestion: not theirs to know of.
			if domain.IsKind(err, domain.KindForbidden) || domain.IsKind(err, domain.KindInvalid) {
				return domain.Errorf(domain.KindNotFound, "tag_vocabulary.not_found", "No such suggested tag.")
			}
			return err
		}
		if err := s.Tags.RemoveVocabulary(ctx, id); err != nil {
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "tag_vocabulary.remove", "organization", v.OrgID, v.Name))
	})
}

func (s *Service) mayKeepVocabulary(ctx context.Context, a domain.Actor, orgID int64) error {
	denied := domain.Errorf(domain.KindForbidden, "tag_vocabulary.not_yours", "Only the station's police or the district's supervisors keep its suggested tags.")
	if !a.Has(RolePolice, RoleSupervisor, RoleAdmin) {
		return denied
	}
	if orgID == a.OrgID && orgID != 0 {
		return nil
	}
	ok, err := s.Directory.IsStation(ctx, orgID)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Invalid(domain.FieldError{Field: "org_id", Code: domain.FieldDoesNotExist, Message: "is not your district or a station you see"})
	}
	if in, err := s.inScope(ctx, a, orgID); err != nil {
		return err
	} else if !in {
		return denied
	}
	return nil
}
