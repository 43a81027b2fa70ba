package workorder

import (
	"testing"
	"time"
)

func TestCalendarAdd(t *testing.T) {
	sh := time.FixedZone("CST", 8*3600)
	office := OfficeHours(sh, 8*time.Hour+30*time.Minute, 17*time.Hour+30*time.Minute,
		[]string{"2026-10-01", "2026-10-02"}, []string{"2026-10-10"})
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, sh)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		name string
		cal  Calendar
		from string
		add  time.Duration
		want string
	}{
		{"within the day", office, "2026-11-23 09:00", 2 * time.Hour, "2026-11-23 11:00"},
		{"before opening starts at opening", office, "2026-11-23 06:00", time.Hour, "2026-11-23 09:30"},
		{"runs over into the next morning", office, "2026-11-23 16:30", 4 * time.Hour, "2026-11-24 11:30"},
		{"Friday evening to Monday", office, "2026-11-27 17:00", 4 * time.Hour, "2026-11-30 12:00"},
		{"filed on Saturday", office, "2026-11-28 10:00", time.Hour, "2026-11-30 09:30"},
		{"ends exactly at closing", office, "2026-11-23 16:30", time.Hour, "2026-11-23 17:30"},
		{"after closing", office, "2026-11-23 20:00", 30 * time.Minute, "2026-11-24 09:00"},
		{"a holiday is skipped", office, "2026-09-30 17:00", time.Hour, "2026-10-05 09:00"},
		{"a make-up Saturday is worked", office, "2026-10-09 17:00", time.Hour, "2026-10-10 09:00"},
		{"two full days", office, "2026-11-23 08:30", 18 * time.Hour, "2026-11-24 17:30"},
		{"round the clock", AlwaysOpen(sh), "2026-11-28 23:00", 2 * time.Hour, "2026-11-29 01:00"},
		{"zero", office, "2026-11-23 09:00", 0, "2026-11-23 09:00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.cal.Add(at(c.from), c.add)
			if !got.Equal(at(c.want)) {
				t.Fatalf("Add(%s, %s) = %s, want %s", c.from, c.add, got.In(sh).Format("2006-01-02 15:04 Mon"), c.want)
			}
			if w := c.cal.Between(at(c.from), got); w != c.add {
				t.Fatalf("Between(%s, %s) = %s, want %s", c.from, c.want, w, c.add)
			}
		})
	}
}

func TestParseHours(t *testing.T) {
	for _, c := range []struct {
		in          string
		open, close time.Duration
		bad         bool
	}{
		{"08:30-17:30", 8*time.Hour + 30*time.Minute, 17*time.Hour + 30*time.Minute, false},
		{"00:00-24:00", 0, 24 * time.Hour, false},
		{"18:00-09:00", 0, 0, true},
		{"9-17", 0, 0, true},
		{"08:30", 0, 0, true},
		{"25:00-26:00", 0, 0, true},
	} {
		o, cl, err := ParseHours(c.in)
		if (err != nil) != c.bad || !c.bad && (o != c.open || cl != c.close) {
			t.Errorf("ParseHours(%q) = %s, %s, %v", c.in, o, cl, err)
		}
	}
}

func TestTransitions(t *testing.T) {
	all := []State{Queued, Delivered, Claimed, Completed, Escalated, Cancelled}
	allowed := map[Action]map[State]State{
		ActAcknowledge: {Queued: Delivered},
		ActClaim:       {Queued: Claimed, Delivered: Claimed},
		ActComplete:    {Claimed: Completed},
		ActReassign:    {Queued: Queued, Delivered: Queued, Claimed: Queued},
		ActCancel:      {Queued: Cancelled, Delivered: Cancelled, Claimed: Cancelled},
		ActEscalate:    {Queued: Escalated, Delivered: Escalated, Claimed: Escalated},
		ActWait:        {Claimed: Claimed},
		ActResume:      {Claimed: Claimed},
	}
	for act, ok := range allowed {
		for _, s := range all {
			got, err := Next(s, act)
			want, allowed := ok[s]
			if allowed && (err != nil || got != want) {
				t.Errorf("%s from %s = %s, %v; want %s", act, s, got, err, want)
			}
			if !allowed && err == nil {
				t.Errorf("%s from %s should be refused, got %s", act, s, got)
			}
		}
	}
	if _, err := Next(Queued, "fly"); err == nil {
		t.Error("an unknown action should be refused")
	}
}

func TestParseStream(t *testing.T) {
	for _, c := range []struct {
		in   string
		kind string
		id   int64
		ok   bool
	}{
		{UnitStream(12), "unit", 12, true},
		{PersonStream(7), "person", 7, true},
		{"wo:unit:", "", 0, false},
		{"wo:team:3", "", 0, false},
		{"wo:unit:-1", "", 0, false},
		{"other", "", 0, false},
	} {
		k, id, ok := ParseStream(c.in)
		if k != c.kind || id != c.id || ok != c.ok {
			t.Errorf("ParseStream(%q) = %q %d %v", c.in, k, id, ok)
		}
	}
}
