package mysql

import (
	"strings"

	"gorm.io/gorm"

	"github.com/tiaojie/tiaojie/domain/mediation"
)

// applySearch narrows a request query by custom search filters. Each filter
// that names people goes through an index: a phone is an exact match on
// idx_request_parties_phone and uq_users_phone, a name a prefix match on
// idx_request_parties_name, a tag idx_request_tags_tag. Only the place is a
// substring match, read within the station scope and dates already chosen.
func applySearch(q *gorm.DB, f *mediation.Search) *gorm.DB {
	if f == nil {
		return q
	}
	if f.PartyPhone != "" {
		q = q.Where("(id IN (SELECT request_id FROM request_parties WHERE phone = ?) OR filer_id IN (SELECT id FROM users WHERE phone = ?))",
			f.PartyPhone, f.PartyPhone)
	}
	if f.PartyName != "" {
		prefix := likeEscape(f.PartyName) + "%"
		q = q.Where("(id IN (SELECT request_id FROM request_parties WHERE name LIKE ? ESCAPE '!') OR filer_id IN (SELECT id FROM users WHERE name LIKE ? ESCAPE '!'))",
			prefix, prefix)
	}
	if f.Place != "" {
		q = q.Where("place LIKE ? ESCAPE '!'", "%"+likeEscape(f.Place)+"%")
	}
	if f.Category != "" {
		q = q.Where("category = ?", f.Category)
	}
	if f.Tag != "" {
		q = q.Where("id IN (SELECT request_id FROM request_tags WHERE tag = ?)", f.Tag)
	}
	if f.Classification != "" {
		q = q.Where("classification = ?", string(f.Classification))
	}
	if f.StationID != 0 {
		q = q.Where("station_id = ?", f.StationID)
	}
	if f.LeadID != 0 {
		q = q.Where("lead_id = ?", f.LeadID)
	}
	if !f.From.IsZero() {
		q = q.Where("created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("created_at < ?", f.To.UTC())
	}
	return q
}

// likeEscape makes a user's text literal inside LIKE, with '!' as the
// escape character (the same on MariaDB and SQLite, unlike a backslash).
var likeEscape = strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace
