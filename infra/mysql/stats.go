package mysql

import (
	"context"
	"strconv"
	"time"

	"github.com/tiaojie/tiaojie/domain/stats"
)

// StatsStore answers the statistics with one grouped query each, over the
// covering index idx_requests_stats (filed time first, so a month of a
// year's cases is one index range).
type StatsStore struct{ db *DB }

var _ stats.Store = (*StatsStore)(nil)

// NewStatsStore returns the store over db.
func NewStatsStore(db *DB) *StatsStore { return &StatsStore{db: db} }

// seconds is the dialect's "b − a in seconds".
func (s *StatsStore) seconds(a, b string) string {
	if s.db.Dialect == DialectSQLite {
		return "ROUND((julianday(" + b + ") - julianday(" + a + ")) * 86400)"
	}
	return "TIMESTAMPDIFF(SECOND, " + a + ", " + b + ")"
}

// key is the grouping expression of q on the time column col.
func (s *StatsStore) key(q stats.Query, col, station string) string {
	switch q.By {
	case stats.ByStation:
		return station
	case stats.ByCategory:
		return "category"
	case stats.ByKind:
		return "kind"
	case stats.ByTag:
		return "request_tags.tag"
	case stats.ByMonth:
		off := strconv.FormatInt(int64(q.Offset/time.Second), 10)
		if s.db.Dialect == DialectSQLite {
			return "strftime('%Y-%m', " + col + ", '" + off + " seconds')"
		}
		return "DATE_FORMAT(DATE_ADD(" + col + ", INTERVAL " + off + " SECOND), '%Y-%m')"
	}
	return "''"
}

// tagJoin joins a request to each of its tags when the breakdown is by tag
// (request_tags shares no column name with requests but id, which the
// figures do not read).
func (s *StatsStore) tagJoin(q stats.Query) string {
	if q.By == stats.ByTag {
		return " JOIN request_tags ON request_tags.request_id = requests.id"
	}
	return ""
}

// Figures implements stats.Store.
func (s *StatsStore) Figures(ctx context.Context, q stats.Query) (map[string]stats.Figures, error) {
	sql := "SELECT " + s.key(q, "created_at", "station_id") + ` AS k, COUNT(*) AS filed,
		SUM(CASE WHEN first_response_at IS NOT NULL THEN 1 ELSE 0 END) AS responded,
		SUM(CASE WHEN closed_at IS NOT NULL THEN 1 ELSE 0 END) AS closed,
		SUM(CASE WHEN outcome = 'agreed' THEN 1 ELSE 0 END) AS agreed,
		SUM(CASE WHEN outcome = 'failed' THEN 1 ELSE 0 END) AS failed,
		SUM(CASE WHEN outcome = 'referred_to_litigation' THEN 1 ELSE 0 END) AS referred,
		SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END) AS rejected,
		COALESCE(SUM(CASE WHEN first_response_at IS NOT NULL THEN ` + s.seconds("created_at", "first_response_at") + ` END), 0) AS frs,
		COALESCE(SUM(CASE WHEN closed_at IS NOT NULL THEN ` + s.seconds("created_at", "closed_at") + ` END), 0) AS cs,
		SUM(CASE WHEN rated_at IS NOT NULL THEN 1 ELSE 0 END) AS rated,
		COALESCE(SUM(rating_stars), 0) AS stars,
		SUM(CASE WHEN returned_at IS NOT NULL THEN 1 ELSE 0 END) AS returned,
		COALESCE(SUM(return_stars), 0) AS return_stars
		FROM requests` + s.tagJoin(q) + ` WHERE created_at >= ? AND created_at < ? AND station_id IN ? GROUP BY k`
	var rows []struct {
		K                                                            string
		Filed, Responded, Closed, Agreed, Failed, Referred, Rejected int64
		Frs, Cs                                                      float64
		Rated, Stars, Returned, ReturnStars                          int64
	}
	if err := s.db.Conn(ctx).Raw(sql, q.From.UTC(), q.To.UTC(), q.Stations).Scan(&rows).Error; err != nil {
		return nil, Translate(err, "request statistics")
	}
	out := make(map[string]stats.Figures, len(rows))
	for _, r := range rows {
		out[r.K] = stats.Figures{Filed: r.Filed, Responded: r.Responded, Closed: r.Closed, Agreed: r.Agreed, Failed: r.Failed, Referred: r.Referred,
			Rejected: r.Rejected, FirstResponseSeconds: r.Frs, CloseSeconds: r.Cs, Rated: r.Rated, StarsSum: r.Stars,
			ReturnVisits: r.Returned, ReturnStarsSum: r.ReturnStars}
	}
	return out, nil
}

// Warnings implements stats.Store.
func (s *StatsStore) Warnings(ctx context.Context, q stats.Query) (map[string]int64, map[string]int64, error) {
	key := "''"
	if q.By == stats.ByStation || q.By == stats.ByMonth {
		key = s.key(q, "raised_at", "station_id")
	}
	var rows []struct {
		K                string
		Raised, Resolved int64
	}
	err := s.db.Conn(ctx).Raw("SELECT "+key+` AS k, COUNT(*) AS raised, SUM(CASE WHEN outcome <> '' THEN 1 ELSE 0 END) AS resolved
		FROM warnings WHERE raised_at >= ? AND raised_at < ? AND station_id IN ? GROUP BY k`, q.From.UTC(), q.To.UTC(), q.Stations).Scan(&rows).Error
	if err != nil {
		return nil, nil, Translate(err, "warning statistics")
	}
	raised, resolved := map[string]int64{}, map[string]int64{}
	for _, r := range rows {
		raised[r.K], resolved[r.K] = r.Raised, r.Resolved
	}
	return raised, resolved, nil
}

// Ledger implements stats.Store.
func (s *StatsStore) Ledger(ctx context.Context, stations []int64, from, to time.Time) ([]stats.LedgerLine, error) {
	var rows []requestRow
	err := s.db.Conn(ctx).Select("id", "created_at", "station_id", "kind", "category", "status", "classification", "lead_id", "outcome").
		Where("created_at >= ? AND created_at < ? AND station_id IN ?", from.UTC(), to.UTC(), stations).Order("id").Limit(10000).Find(&rows).Error
	if err != nil {
		return nil, Translate(err, "daily ledger")
	}
	out := make([]stats.LedgerLine, len(rows))
	for i, r := range rows {
		out[i] = stats.LedgerLine{RequestID: r.ID, FiledAt: r.CreatedAt.UTC(), StationID: r.StationID, Kind: r.Kind, Category: r.Category,
			Status: r.Status, Classification: r.Classification, LeadID: r.LeadID, Outcome: r.Outcome}
	}
	return out, nil
}
