package mysql_test

import (
	"context"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/detention"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// The feedback store on MariaDB and SQLite: a second feedback of a person
// on a subject is a conflict; FeedbackBy answers one person's feedback on
// the subjects asked, of the kind asked, and nobody else's.
func TestFeedbackStoreReadsOnePersonsFeedbackBySubject(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		s := mysql.NewFeedbackStore(db)
		at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
		add := func(subject string, id, user int64, stars int, comment string) {
			t.Helper()
			if err := s.AddFeedback(ctx, &detention.Feedback{CentreID: 5, Subject: subject, SubjectID: id, UserID: user, Stars: stars,
				Comment: comment, CreatedAt: at}); err != nil {
				t.Fatalf("add %s %d by %d: %v", subject, id, user, err)
			}
		}
		add(detention.FeedbackJoint, 1, 100, 5, "放心了")
		add(detention.FeedbackJoint, 1, 200, 4, "配合到位") // the court's, on the same joint
		add(detention.FeedbackJoint, 2, 100, 3, "")
		add(detention.FeedbackVisit, 3, 100, 2, "会见") // a visit with the ID of a joint asked below
		err := s.AddFeedback(ctx, &detention.Feedback{CentreID: 5, Subject: detention.FeedbackJoint, SubjectID: 1, UserID: 100, Stars: 1, CreatedAt: at})
		if !domain.IsKind(err, domain.KindConflict) {
			t.Fatalf("a second feedback of the same person: %v, want a conflict", err)
		}

		got, err := s.FeedbackBy(ctx, 100, detention.FeedbackJoint, []int64{1, 3, 4})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[1].Stars != 5 || got[1].Comment != "放心了" || got[1].UserID != 100 || got[1].ID == 0 ||
			got[1].Subject != detention.FeedbackJoint || got[1].CentreID != 5 || !got[1].CreatedAt.Equal(at) {
			t.Fatalf("citizen 100's joint feedback on 1, 3, 4: %+v", got)
		}
		if got, _ := s.FeedbackBy(ctx, 200, detention.FeedbackJoint, []int64{1, 2}); len(got) != 1 || got[1].Stars != 4 {
			t.Fatalf("the court's on 1, 2: %+v", got)
		}
		if got, _ := s.FeedbackBy(ctx, 100, detention.FeedbackVisit, []int64{1, 2, 3}); len(got) != 1 || got[3].Stars != 2 {
			t.Fatalf("citizen 100's visit feedback: %+v", got)
		}
		if got, err := s.FeedbackBy(ctx, 100, detention.FeedbackJoint, nil); err != nil || len(got) != 0 {
			t.Fatalf("no subjects asked: %+v, %v", got, err)
		}
		if got, _ := s.FeedbackBy(ctx, 300, detention.FeedbackJoint, []int64{1, 2}); len(got) != 0 {
			t.Fatalf("someone who gave none: %+v", got)
		}
	})
}
