package warning

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// A domestic-violence history (家暴史) is known to staff, not always written
// in the filer's own words: the seed's couple came back to the mediation
// room several times, and one of them had a history. Staff flag a person
// (by phone: citizens sign in with it and parties are named with it) or a
// household (by address). A filing whose filer, a party or whose place
// matches a flag counts for the dv_household rule, and the rule counts by
// household — the place — so that both spouses' filings add up.

// DVKind is what a flag marks.
type DVKind string

const (
	DVPerson    DVKind = "person"
	DVHousehold DVKind = "household"
)

// DVFlag is one staff flag of a domestic-violence history.
type DVFlag struct {
	ID        int64
	Kind      DVKind
	Key       string // person: the phone; household: HouseholdKey(address)
	Name      string // the person's name, for staff to recognise
	Address   string // the household's address as staff wrote it
	StationID int64  // the station whose staff flagged it; its scope reads it
	Note      string
	FlaggedBy int64
	FlaggedAt time.Time
	ClearedBy int64
	ClearedAt *time.Time
}

// DVFlagStore keeps the flags.
type DVFlagStore interface {
	CreateDVFlag(ctx context.Context, f *DVFlag) error
	DVFlag(ctx context.Context, id int64) (*DVFlag, error)
	ClearDVFlag(ctx context.Context, id, by int64, at time.Time) error
	// DVFlags pages the standing flags of the stations, newest first.
	DVFlags(ctx context.Context, stationIDs []int64, before int64, limit int) ([]DVFlag, error)
	// DVMatches reads, in one query, which of the filers (by their
	// account's phone), phones and household keys a standing flag names.
	DVMatches(ctx context.Context, filerIDs []int64, phones, households []string) (DVMatch, error)
}

// DVMatch is what standing flags name among the subjects asked about.
type DVMatch struct {
	Filers     map[int64]bool  // filers whose account's phone is flagged
	Phones     map[string]bool // flagged people, by phone
	Households map[string]bool // flagged households, by HouseholdKey
}

// DVQuery is one filing's people and place, as DVHistories asks about them.
type DVQuery struct {
	FilerID int64
	Phones  []string
	Place   string
}

// HouseholdKey is an address reduced to what identifies one household
// however staff or citizens type it: no spaces, full-width letters and
// digits folded to ASCII ("碧津社区 ３栋" and "碧津社区3栋" are one).
func HouseholdKey(address string) string {
	var b strings.Builder
	for _, r := range address {
		switch {
		case unicode.IsSpace(r):
			continue
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			r -= 0xFEE0
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// DVFlagInput is what staff send to flag someone.
type DVFlagInput struct {
	Kind      DVKind
	Phone     string
	Name      string
	Address   string
	StationID int64
	Note      string
}

func (in *DVFlagInput) validate() error {
	in.Phone, in.Name, in.Address, in.Note = strings.TrimSpace(in.Phone), strings.TrimSpace(in.Name), strings.TrimSpace(in.Address), strings.TrimSpace(in.Note)
	var p domain.Problems
	switch in.Kind {
	case DVPerson:
		if !isMobile(in.Phone) {
			p.Add("phone", domain.FieldInvalid, "must be an 11-digit mobile number")
		}
		if in.Address != "" {
			p.Add("address", domain.FieldNotAllowed, "belongs to a household flag")
		}
	case DVHousehold:
		if in.Address == "" {
			p.Add("address", domain.FieldRequired, "is required")
		} else if utf8.RuneCountInString(in.Address) > 200 {
			p.Add("address", domain.FieldTooLong, "is too long")
		}
		if in.Phone != "" {
			p.Add("phone", domain.FieldNotAllowed, "belongs to a person flag")
		}
	case "":
		p.Add("kind", domain.FieldRequired, "is required")
	default:
		p.Add("kind", domain.FieldUnsupported, "must be person or household")
	}
	if utf8.RuneCountInString(in.Name) > 50 {
		p.Add("name", domain.FieldTooLong, "is too long")
	}
	if utf8.RuneCountInString(in.Note) > 500 {
		p.Add("note", domain.FieldTooLong, "is too long")
	}
	if in.StationID <= 0 {
		p.Add("station_id", domain.FieldRequired, "is required")
	}
	return p.Err()
}

func isMobile(s string) bool {
	if len(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9' {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// FlagDV records a domestic-violence history for a person or household of
// a station in the caller's scope. Audited without the phone.
func (s *Service) FlagDV(ctx context.Context, a domain.Actor, scope Scope, in DVFlagInput) (*DVFlag, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	if ok, err := inScope(ctx, a, scope, in.StationID); err != nil {
		return nil, err
	} else if !ok {
		return nil, domain.Errorf(domain.KindForbidden, "dv_flag.not_your_station", "That station is not one you serve.")
	}
	f := &DVFlag{Kind: in.Kind, Key: in.Phone, Name: in.Name, StationID: in.StationID, Note: in.Note, FlaggedBy: a.UserID, FlaggedAt: s.Clock.Now()}
	if in.Kind == DVHousehold {
		f.Key, f.Address = HouseholdKey(in.Address), in.Address
	}
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if err := s.DVFlags.CreateDVFlag(ctx, f); err != nil {
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, f.FlaggedAt, "dv_flag.create", "dv_flag", f.ID, string(f.Kind)))
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// ListDV pages the standing flags of the caller's stations; the read is
// audited, for it names people.
func (s *Service) ListDV(ctx context.Context, a domain.Actor, scope Scope, before int64, limit int) ([]DVFlag, error) {
	stations, all, err := scope.StationScope(ctx, a)
	if err != nil {
		return nil, err
	}
	if all {
		stations = nil
	} else if len(stations) == 0 {
		return nil, nil
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	if err := s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "dv_flag.list", "dv_flag", 0, "")); err != nil {
		return nil, err
	}
	return s.DVFlags.DVFlags(ctx, stations, before, limit)
}

// ClearDV ends a flag set in error; the row stays for the record.
func (s *Service) ClearDV(ctx context.Context, a domain.Actor, scope Scope, id int64) error {
	return s.Tx.WithTx(ctx, func(ctx context.Context) error {
		f, err := s.DVFlags.DVFlag(ctx, id)
		if err != nil {
			return err
		}
		if ok, err := inScope(ctx, a, scope, f.StationID); err != nil {
			return err
		} else if !ok || f.ClearedAt != nil {
			return domain.Errorf(domain.KindNotFound, "dv_flag.not_found", "No such flag.")
		}
		now := s.Clock.Now()
		if err := s.DVFlags.ClearDVFlag(ctx, id, a.UserID, now); err != nil {
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "dv_flag.clear", "dv_flag", id, string(f.Kind)))
	})
}

// DVHistories answers, for each filing, whether it touches a flagged
// person or household — the filer, a party by phone, or the place of the
// dispute — in one read for all of them (a batch of filings is written
// together, see mediation.Service.WriteFilings).
func (s *Service) DVHistories(ctx context.Context, qs []DVQuery) ([]bool, error) {
	out := make([]bool, len(qs))
	if s.DVFlags == nil || len(qs) == 0 {
		return out, nil
	}
	var filers []int64
	var phones, households []string
	for _, q := range qs {
		if q.FilerID != 0 {
			filers = append(filers, q.FilerID)
		}
		phones = append(phones, q.Phones...)
		if h := HouseholdKey(q.Place); h != "" {
			households = append(households, h)
		}
	}
	m, err := s.DVFlags.DVMatches(ctx, filers, phones, households)
	if err != nil {
		return nil, err
	}
	for i, q := range qs {
		out[i] = m.Filers[q.FilerID] || m.Households[HouseholdKey(q.Place)]
		for _, p := range q.Phones {
			out[i] = out[i] || m.Phones[p]
		}
	}
	return out, nil
}

func inScope(ctx context.Context, a domain.Actor, scope Scope, station int64) (bool, error) {
	stations, all, err := scope.StationScope(ctx, a)
	if err != nil || all {
		return all, err
	}
	return contains(stations, station), nil
}
