package mysql_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain/stats"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// BenchmarkMonthlyStatsOnAMillionCases seeds 1,000,000 cases over a year at
// 30 stations (MariaDB's sequence engine, one INSERT … SELECT) and times the
// monthly statistics of a district of ten stations, by station, as the
// monthly report asks them. Target: under 300 ms. Run with -benchtime 20x.
func BenchmarkMonthlyStatsOnAMillionCases(b *testing.B) {
	db := mysqltest.New(b)
	ctx := context.Background()
	start := time.Now()
	err := db.Gorm.Exec(`INSERT INTO requests (filer_id, kind, category, description, place, station_id, chosen_id, detainee_id, status,
		classification, lead_id, assistant_id, reject_reason, version, created_at, updated_at, closed_at, rating_stars, rating_comment, rated_at,
		first_response_at, outcome)
		SELECT seq % 50000, ELT(1 + seq % 3, 'mediation', 'consultation', 'drafting'),
			ELT(1 + seq % 9, 'family', 'neighbour', 'labour', 'debt', 'compensation', 'consumer', 'property', 'traffic', 'other'),
			'', '', 1 + seq % 30, 0, 0, IF(seq % 10 < 7, 'closed', 'in_mediation'), 'civil', 1000 + seq % 40, 0, '', 1,
			TIMESTAMP('2025-11-01') + INTERVAL (seq * 31) SECOND, TIMESTAMP('2025-11-01') + INTERVAL (seq * 31) SECOND,
			IF(seq % 10 < 7, TIMESTAMP('2025-11-01') + INTERVAL (seq * 31 + 86400 * (1 + seq % 9)) SECOND, NULL),
			IF(seq % 10 < 5, 1 + seq % 5, 0), '', IF(seq % 10 < 5, TIMESTAMP('2025-11-01') + INTERVAL (seq * 31) SECOND, NULL),
			TIMESTAMP('2025-11-01') + INTERVAL (seq * 31 + seq % 7200) SECOND,
			IF(seq % 10 < 7, IF(seq % 10 < 5, 'agreed', 'failed'), '')
		FROM seq_1_to_1000000`).Error
	if err != nil {
		b.Skipf("needs MariaDB's sequence engine: %v", err)
	}
	if err := db.Gorm.Exec("ANALYZE TABLE requests").Error; err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded 1,000,000 cases in %s", time.Since(start).Round(time.Second))
	s := mysql.NewStatsStore(db)
	district := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	q := stats.Query{Stations: district, From: time.Date(2026, 5, 31, 16, 0, 0, 0, time.UTC), To: time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC),
		By: stats.ByStation, Offset: 8 * time.Hour}
	var took []float64
	for b.Loop() {
		t0 := time.Now()
		figs, err := s.Figures(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		if len(figs) != 10 {
			b.Fatalf("%d stations in the figures", len(figs))
		}
		took = append(took, float64(time.Since(t0).Microseconds())/1000)
	}
	sort.Float64s(took)
	b.ReportMetric(took[len(took)/2], "p50_ms")
	b.ReportMetric(took[len(took)-1], "max_ms")
}
