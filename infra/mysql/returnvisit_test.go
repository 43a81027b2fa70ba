package mysql_test

import (
	"context"
	"testing"
	"time"

	m "github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/domain/stats"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// A return visit's answer is kept with the case and read back as written;
// the statistics count it apart from the in-app rating, on both dialects.
func TestReturnVisitAnswerIsKeptAndCountedApart(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		store, figures := mysql.NewMediationStore(db), mysql.NewStatsStore(db)
		t0 := time.Date(2026, 11, 10, 2, 0, 0, 0, time.UTC)
		var reqs []*m.Request
		for i := 0; i < 3; i++ {
			reqs = append(reqs, &m.Request{FilerID: 1, Filing: m.Filing{Kind: m.KindMediation, Category: "debt", Description: "欠款未还纠纷", StationID: 7},
				Status: m.StatusClosed, Version: 1, CreatedAt: t0, UpdatedAt: t0})
		}
		if err := store.CreateRequest(ctx, reqs...); err != nil {
			t.Fatal(err)
		}
		answered := t0.Add(72 * time.Hour)
		answers := []*m.ReturnVisit{
			{Stars: 5, Comment: "电话回访，满意", Channel: m.ChannelPhone, ByID: 42, At: answered},
			{Stars: 2, Comment: "", Channel: m.ChannelVisit, ByID: 43, At: answered},
			nil, // the citizen did not answer
		}
		for i, r := range reqs {
			r.Status, r.ReturnVisit, r.Version = m.StatusFollowedUp, answers[i], r.Version+1
			if i == 2 {
				r.Rating = &m.Rating{Stars: 4, At: answered} // rated in the app only
			}
			if err := store.UpdateRequest(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		got, err := store.Request(ctx, reqs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ReturnVisit == nil || *got.ReturnVisit != *answers[0] || got.Rating != nil {
			t.Fatalf("read back %+v (rating %+v), want %+v", got.ReturnVisit, got.Rating, answers[0])
		}
		if got, _ := store.Request(ctx, reqs[2].ID); got.ReturnVisit != nil {
			t.Fatalf("an unanswered return visit reads as %+v", got.ReturnVisit)
		}
		figs, err := figures.Figures(ctx, stats.Query{Stations: []int64{7}, From: t0.Add(-time.Hour), To: t0.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if f := figs[""]; f.ReturnVisits != 2 || f.ReturnStarsSum != 7 || f.Rated != 1 || f.StarsSum != 4 {
			t.Fatalf("figures %+v: want 2 return-visit answers (7 stars) and 1 in-app rating (4 stars)", f)
		}
	})
}
