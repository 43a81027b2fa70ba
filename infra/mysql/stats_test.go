package mysql_test

import (
	"context"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain/stats"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// The statistics queries give the same figures on MariaDB and SQLite:
// months are cut in the deployment's zone (a case filed at 23:30 UTC on
// 31 October is November's in Beijing), durations are seconds.
func TestStatsFiguresOnBothDialects(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
		insert := func(created time.Time, station int64, category, status, outcome string, responded, closed time.Duration, stars int) {
			t.Helper()
			var fr, cl, rated *time.Time
			if responded > 0 {
				v := created.Add(responded)
				fr = &v
			}
			if closed > 0 {
				v := created.Add(closed)
				cl = &v
			}
			if stars > 0 {
				rated = &created
			}
			err := db.Gorm.Exec(`INSERT INTO requests (filer_id, kind, category, description, place, station_id, chosen_id, detainee_id, status,
				classification, lead_id, assistant_id, reject_reason, version, created_at, updated_at, closed_at, rating_stars, rating_comment, rated_at,
				first_response_at, outcome) VALUES (1, 'mediation', ?, 'x', '', ?, 0, 0, ?, '', 0, 0, '', 1, ?, ?, ?, ?, '', ?, ?, ?)`,
				category, station, status, created, created, cl, stars, rated, fr, outcome).Error
			if err != nil {
				t.Fatal(err)
			}
		}
		insert(at("2026-10-31T23:30:00Z"), 7, "family", "closed", "agreed", time.Hour, 48*time.Hour, 5) // 1 November in Beijing
		insert(at("2026-11-10T02:00:00Z"), 7, "debt", "closed", "failed", 3*time.Hour, 24*time.Hour, 3)
		insert(at("2026-11-12T02:00:00Z"), 8, "debt", "filed", "", 0, 0, 0)
		insert(at("2026-10-15T02:00:00Z"), 7, "debt", "filed", "", 0, 0, 0)
		insert(at("2026-11-12T02:00:00Z"), 9, "debt", "filed", "", 0, 0, 0) // another district's station

		s := mysql.NewStatsStore(db)
		q := stats.Query{Stations: []int64{7, 8}, From: at("2026-09-30T16:00:00Z"), To: at("2026-11-30T16:00:00Z"), By: stats.ByMonth, Offset: 8 * time.Hour}
		figs, err := s.Figures(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		nov, oct := figs["2026-11"], figs["2026-10"]
		if nov.Filed != 3 || oct.Filed != 1 || nov.Agreed != 1 || nov.Failed != 1 || nov.Closed != 2 || nov.Responded != 2 || nov.Rated != 2 || nov.StarsSum != 8 {
			t.Fatalf("by month: %+v", figs)
		}
		if nov.FirstResponseSeconds != 4*3600 || nov.CloseSeconds != 72*3600 {
			t.Fatalf("durations: first response %v s, close %v s", nov.FirstResponseSeconds, nov.CloseSeconds)
		}
		q.By = stats.ByCategory
		figs, _ = s.Figures(ctx, q)
		if figs["debt"].Filed != 3 || figs["family"].Filed != 1 {
			t.Fatalf("by category: %+v", figs)
		}
		lines, err := s.Ledger(ctx, []int64{7}, at("2026-11-09T16:00:00Z"), at("2026-11-10T16:00:00Z"))
		if err != nil || len(lines) != 1 || lines[0].Outcome != "failed" || lines[0].Category != "debt" {
			t.Fatalf("ledger: %+v %v", lines, err)
		}
	})
}
