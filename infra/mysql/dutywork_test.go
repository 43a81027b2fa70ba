package mysql_test

import (
	"context"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/casereview"
	"github.com/tiaojie/tiaojie/domain/dutywork"
	"github.com/tiaojie/tiaojie/domain/stats"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// The duty records on MariaDB and SQLite: filtered lists newest first,
// photos with their record, the window counts statistics group by station
// and by local month, the ledger without who asked.
func TestDutyWorkStoreOnEachEngine(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		s := mysql.NewDutyWorkStore(db)
		// 23:30 UTC on 31 October is 1 November in Shanghai.
		late := time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC)
		recs := []*dutywork.Record{
			{Kind: dutywork.Consultation, LawyerID: 7, FirmID: 5, StationID: 3, At: t0, Minutes: 20, Person: "王某", Topic: "欠薪", Summary: "仲裁"},
			{Kind: dutywork.Education, LawyerID: 7, FirmID: 5, StationID: 3, At: t0.Add(time.Hour), Minutes: 90, Place: "社区", Audience: "居民", Topic: "防诈骗", Attendees: 40},
			{Kind: dutywork.PoliceAssist, LawyerID: 8, FirmID: 6, StationID: 4, At: late, Minutes: 30, Topic: "释法", OfficerID: 11},
		}
		for _, r := range recs {
			r.CreatedAt = r.At
			if err := s.CreateRecord(ctx, r); err != nil || r.ID == 0 {
				t.Fatalf("create: %v", err)
			}
		}
		if err := s.CreatePhoto(ctx, &dutywork.Photo{RecordID: recs[1].ID, ContentType: "image/png", Size: 10, SHA256: "x", StorageKey: "k", CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Record(ctx, recs[1].ID)
		if err != nil || len(got.Photos) != 1 || got.Attendees != 40 || !got.At.Equal(recs[1].At) {
			t.Fatalf("the session with its photo: %+v (%v)", got, err)
		}
		if n, _ := s.CountPhotos(ctx, recs[1].ID); n != 1 {
			t.Fatalf("photos %d", n)
		}
		if _, err := s.Record(ctx, 999999); !domain.IsKind(err, domain.KindNotFound) {
			t.Fatalf("a missing record: %v", err)
		}
		for _, c := range []struct {
			name string
			f    dutywork.Filter
			want []int64
		}{
			{"a lawyer's own, newest first", dutywork.Filter{LawyerID: 7}, []int64{recs[1].ID, recs[0].ID}},
			{"a firm's", dutywork.Filter{FirmID: 6}, []int64{recs[2].ID}},
			{"a station's education sessions", dutywork.Filter{Stations: []int64{3}, Kind: dutywork.Education}, []int64{recs[1].ID}},
			{"no station in scope", dutywork.Filter{Stations: []int64{}}, nil},
			{"a window", dutywork.Filter{From: t0.Add(30 * time.Minute), To: t0.Add(2 * time.Hour)}, []int64{recs[1].ID}},
			{"a page after a cursor", dutywork.Filter{Before: recs[2].ID, Limit: 1}, []int64{recs[1].ID}},
		} {
			list, err := s.Records(ctx, c.f)
			var ids []int64
			for _, r := range list {
				ids = append(ids, r.ID)
			}
			if err != nil || len(ids) != len(c.want) || (len(ids) > 0 && ids[0] != c.want[0]) {
				t.Errorf("%s: %v (%v), want %v", c.name, ids, err, c.want)
			}
		}
		from, to := late.Add(-24*time.Hour), t0.Add(24*time.Hour)
		byStation, err := s.DutyWork(ctx, stats.Query{Stations: []int64{3, 4}, From: from, To: to, By: stats.ByStation})
		if err != nil || byStation["3"] != (stats.DutyFigures{Consultations: 1, EducationSessions: 1, EducationAttendees: 40}) ||
			byStation["4"] != (stats.DutyFigures{PoliceAssists: 1}) {
			t.Fatalf("by station %+v (%v)", byStation, err)
		}
		byMonth, err := s.DutyWork(ctx, stats.Query{Stations: []int64{4}, From: from, To: to, By: stats.ByMonth, Offset: 8 * time.Hour})
		if err != nil || byMonth["2026-11"].PoliceAssists != 1 {
			t.Fatalf("by local month %+v (%v)", byMonth, err)
		}
		ledger, err := s.DutyLedger(ctx, []int64{3}, from, to)
		if err != nil || len(ledger) != 2 || ledger[0].Topic != "欠薪" || ledger[1].Attendees != 40 {
			t.Fatalf("ledger %+v (%v)", ledger, err)
		}
		work, err := s.Work(ctx, nil, from, to)
		if err != nil || len(work) != 3 || work[0].Person != "" {
			t.Fatalf("the counted work carries no text: %+v (%v)", work, err)
		}
	})
}

// The case review library on MariaDB and SQLite: one standing review per
// case, withdrawal once, a district's shelf by category.
func TestCaseReviewStoreOnEachEngine(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		s := mysql.NewCaseReviewStore(db)
		a := &casereview.Review{RequestID: 10, StationID: 3, DistrictID: 1, Category: "labour", Comment: "好", ReviewerID: 2, CreatedAt: t0}
		b := &casereview.Review{RequestID: 11, StationID: 4, DistrictID: 1, Category: "property", Comment: "好", ReviewerID: 2, CreatedAt: t0}
		c := &casereview.Review{RequestID: 12, StationID: 9, DistrictID: 8, Category: "labour", Comment: "好", ReviewerID: 5, CreatedAt: t0}
		for _, r := range []*casereview.Review{a, b, c} {
			if err := s.CreateReview(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		again := &casereview.Review{RequestID: 10, StationID: 3, DistrictID: 1, Category: "labour", Comment: "再选", ReviewerID: 3, CreatedAt: t0}
		if err := s.CreateReview(ctx, again); !domain.IsKind(err, domain.KindConflict) {
			t.Fatalf("a second standing review of case 10: %v", err)
		}
		if got, err := s.ActiveReviewOf(ctx, 10); err != nil || got == nil || got.ID != a.ID {
			t.Fatalf("the standing review of case 10: %+v (%v)", got, err)
		}
		shelf, err := s.Library(ctx, []int64{1}, "labour", 0, 10)
		if err != nil || len(shelf) != 1 || shelf[0].ID != a.ID {
			t.Fatalf("district 1's labour shelf %+v (%v)", shelf, err)
		}
		if err := s.Withdraw(ctx, a.ID, 2, "过时", t0); err != nil {
			t.Fatal(err)
		}
		if err := s.Withdraw(ctx, a.ID, 2, "again", t0); !domain.IsKind(err, domain.KindNotFound) {
			t.Fatalf("withdrawn twice: %v", err)
		}
		if got, _ := s.ActiveReviewOf(ctx, 10); got != nil {
			t.Fatal("a withdrawn review still stands")
		}
		if err := s.CreateReview(ctx, again); err != nil {
			t.Fatalf("once withdrawn, the case is picked again: %v", err)
		}
		if err := s.Withdraw(ctx, again.ID, 2, "", t0); err != nil {
			t.Fatalf("a second withdrawal of the same case: %v", err)
		}
		if r, err := s.Review(ctx, a.ID); err != nil || r.WithdrawnAt == nil || r.WithdrawReason != "过时" {
			t.Fatalf("the withdrawn review %+v (%v)", r, err)
		}
		cats, err := s.Categories(ctx, []int64{1})
		if err != nil || len(cats) != 1 || cats["property"] != 1 {
			t.Fatalf("district 1's categories %v (%v)", cats, err)
		}
		if all, _ := s.Library(ctx, nil, "", 0, 10); len(all) != 2 {
			t.Fatalf("every district's standing reviews: %d", len(all))
		}
	})
}
