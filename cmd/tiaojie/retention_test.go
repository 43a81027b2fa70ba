package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/infra/mysql"
)

func TestRecordingsPastRetentionLoseTheirFiles(t *testing.T) {
	a := newTestApp(t, testConfig(t, map[string]string{"TIAOJIE_RECORDING_RETENTION": "720h"}))
	ctx := context.Background()
	store := a.svc.video.recordings
	for i, ended := range []time.Duration{-40 * 24 * time.Hour, -time.Hour} {
		key := "recordings/r/" + []string{"old", "new"}[i] + ".ivf"
		if _, _, err := a.svc.files.Put(ctx, key, strings.NewReader("DKIF...."), 1<<20); err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(ended)
		if err := store.Started(ctx, mysql.RecordingRow{ID: []string{"old", "new"}[i], RoomID: "r", StorageKey: key, StartedAt: at, EndedAt: &at,
			OwnerType: "case", Kind: "video", Container: "ivf"}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := expireRecordings(ctx, a)
	if err != nil || n != 1 {
		t.Fatalf("expired %d recordings (%v), want the 40-day-old one", n, err)
	}
	if _, err := a.svc.files.Open(ctx, "recordings/r/old.ivf"); domain.ErrorKind(err) != domain.KindNotFound {
		t.Fatalf("the old file is still there: %v", err)
	}
	if rc, err := a.svc.files.Open(ctx, "recordings/r/new.ivf"); err != nil {
		t.Fatalf("the recent file is gone: %v", err)
	} else {
		rc.Close()
	}
	old, _ := store.One(ctx, "old")
	if old.StorageKey != "" || old.EndReason != "deleted_by_retention" {
		t.Fatalf("old recording row: %+v", old)
	}
}
