package domain

import (
	"strings"
	"testing"
	"time"
)

func TestAuditOfListNamesWhatWasShown(t *testing.T) {
	many := make([]int64, 200)
	for i := range many {
		many[i] = int64(100000 + i)
	}
	tests := []struct {
		name   string
		ids    []int64
		want   string
		maxLen int
	}{
		{"a short page lists every ID", []int64{3, 1, 2}, "3 shown: 3,1,2", 0},
		{"a long page is cut, keeping the count", many, "200 shown: 100000,100001", maxListDetail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := AuditOfList(Actor{UserID: 7, Roles: []string{"police"}}, time.Unix(0, 0), "request.list", "request", tt.ids)
			if !strings.HasPrefix(e.Detail, tt.want) || e.Action != "request.list" || e.ActorID != 7 {
				t.Fatalf("got %+v, want detail starting %q", e, tt.want)
			}
			if tt.maxLen > 0 && (len(e.Detail) > tt.maxLen || !strings.HasSuffix(e.Detail, "…")) {
				t.Fatalf("detail of %d bytes, want at most %d ending in …", len(e.Detail), tt.maxLen)
			}
		})
	}
}
