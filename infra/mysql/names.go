package mysql

import "context"

// NameStore looks up what people call the things reports list by ID:
// organisations (stations, firms), staff and categories. Citizens' names are
// never returned: a report names staff, not the people who came for help.
type NameStore struct{ db *DB }

// NewNameStore returns the store over db.
func NewNameStore(db *DB) *NameStore { return &NameStore{db: db} }

// OrgNames maps organisation IDs to names; unknown IDs are left out.
func (s *NameStore) OrgNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	return s.names(ctx, "organizations", "id IN ?", ids, "organisation names")
}

// StaffNames maps staff IDs to names; citizens (no username) and unknown IDs
// are left out.
func (s *NameStore) StaffNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	return s.names(ctx, "users", "id IN ? AND username IS NOT NULL AND anonymised_at IS NULL", ids, "staff names")
}

func (s *NameStore) names(ctx context.Context, table, where string, ids []int64, op string) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   int64
		Name string
	}
	if err := s.db.Conn(ctx).Table(table).Select("id", "name").Where(where, ids).Scan(&rows).Error; err != nil {
		return nil, Translate(err, op)
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// CategoryLabels maps every category code, active or not, to its label.
func (s *NameStore) CategoryLabels(ctx context.Context) (map[string]string, error) {
	var rows []categoryRow
	if err := s.db.Conn(ctx).Find(&rows).Error; err != nil {
		return nil, Translate(err, "category labels")
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.Code] = r.Label
	}
	return out, nil
}
