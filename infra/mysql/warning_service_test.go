package mysql_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
	w "github.com/tiaojie/tiaojie/domain/warning"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
	"github.com/tiaojie/tiaojie/infra/redis"
	"github.com/tiaojie/tiaojie/infra/redis/redistest"
)

type sheetRecorder struct {
	mu      sync.Mutex
	sheets  []w.InstructionSheet
	settled []string
}

func (r *sheetRecorder) SettleSheets(_ context.Context, _ domain.Actor, cause string, _ int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.settled = append(r.settled, cause)
	return nil
}

func (r *sheetRecorder) SendInstructionSheet(_ context.Context, s w.InstructionSheet) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sheets = append(r.sheets, s)
	return nil
}

type warningRig struct {
	t       *testing.T
	svc     *w.Service
	signals *mysql.SignalStore
	store   *mysql.WarningStore
	sheets  *sheetRecorder
	now     time.Time
	flush   func()
}

// newWarningRig wires the warning service on MariaDB and the real Redis with
// only the rules given (thresholds as seeded unless changed).
func newWarningRig(t *testing.T, rules ...w.Rule) *warningRig {
	db := mysqltest.New(t)
	client, prefix := redistest.New(t)
	rig := &warningRig{t: t, signals: mysql.NewSignalStore(db), store: mysql.NewWarningStore(db), sheets: &sheetRecorder{},
		now: time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)}
	for i := range rules {
		rules[i].Version = 1
		if err := rig.store.CreateRule(context.Background(), &rules[i]); err != nil {
			t.Fatal(err)
		}
	}
	rig.svc = &w.Service{Tx: db, Rules: rig.store, Warnings: rig.store, Counter: redis.NewWarningCounter(client, prefix),
		Signals: rig.signals, Sheets: rig.sheets, Audit: &recorder{}, Clock: domain.ClockFunc(func() time.Time { return rig.now })}
	rig.flush = func() {
		ctx := context.Background()
		iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			client.Del(ctx, iter.Val())
		}
	}
	return rig
}

var nextRequest int64

// file records a filing signal at now-ago and counts pending signals,
// returning the warnings raised.
func (r *warningRig) file(ago time.Duration, sig m.Signal) []w.Warning {
	r.t.Helper()
	nextRequest++
	sig.Type, sig.RequestID, sig.At = "request_filed", nextRequest, r.now.Add(-ago)
	if sig.RequestKind == "" {
		sig.RequestKind = m.KindMediation
	}
	return r.emit(sig)
}

func (r *warningRig) emit(sig m.Signal) []w.Warning {
	r.t.Helper()
	if err := r.signals.Emit(context.Background(), sig); err != nil {
		r.t.Fatal(err)
	}
	_, raised, err := r.svc.ProcessPending(context.Background())
	if err != nil {
		r.t.Fatal(err)
	}
	return raised
}

func rule(kind w.Kind, threshold int, window, cooldown time.Duration) w.Rule {
	return w.Rule{Kind: kind, Name: string(kind), Threshold: threshold, Window: window, Cooldown: cooldown, Severity: w.SeverityYellow,
		Enabled: true, Notify: []int64{900}}
}

const days = 24 * time.Hour

func TestEachRuleFiresExactlyAtItsThreshold(t *testing.T) {
	person := m.Signal{PersonID: 42, Category: "debt", StationID: 11, Place: "古山三村12号"}
	tests := []struct {
		name  string
		rule  w.Rule
		event func(i int) m.Signal
	}{
		{"same person", rule(w.KindSamePerson, 3, 30*days, 7*days), func(i int) m.Signal { s := person; s.Category = []string{"debt", "family", "traffic"}[i%3]; return s }},
		{"same category in one community", rule(w.KindCategoryPlace, 3, 7*days, 3*days), func(i int) m.Signal {
			return m.Signal{PersonID: int64(100 + i), Category: "consumer", StationID: 11, Place: []string{"古山三村12号", "古山三村东头", "古山三村"}[i%3]}
		}},
		{"domestic-violence household", rule(w.KindDVHousehold, 2, 60*days, 7*days), func(int) m.Signal {
			return m.Signal{PersonID: 77, Category: "family", StationID: 11, Description: "丈夫多次家暴"}
		}},
		{"loan consultations at one station", rule(w.KindLoanConsultation, 5, 30*days, 7*days), func(i int) m.Signal {
			return m.Signal{PersonID: int64(200 + i), RequestKind: m.KindConsultation, Category: "other", StationID: 11, Description: "网贷逾期被催收"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rig := newWarningRig(t, tt.rule)
			for i := 0; i < tt.rule.Threshold-1; i++ {
				if got := rig.file(time.Duration(tt.rule.Threshold-i)*time.Hour, tt.event(i)); len(got) != 0 {
					t.Fatalf("fired after %d events, threshold %d", i+1, tt.rule.Threshold)
				}
			}
			got := rig.file(0, tt.event(tt.rule.Threshold-1))
			if len(got) != 1 || got[0].Count != tt.rule.Threshold || len(got[0].EventIDs) != tt.rule.Threshold {
				t.Fatalf("at the threshold: %+v", got)
			}
			if n := len(rig.sheets.sheets); n != 2 { // the station and the extra unit
				t.Fatalf("%d instruction sheets, want 2", n)
			}
			// Within the cool-down the burst does not fire again.
			if again := rig.file(0, tt.event(tt.rule.Threshold)); len(again) != 0 {
				t.Fatalf("fired again within the cool-down: %+v", again)
			}
		})
	}
}

func TestUnrelatedEventsDoNotCount(t *testing.T) {
	rig := newWarningRig(t, rule(w.KindLoanConsultation, 2, 30*days, 0), rule(w.KindDVHousehold, 2, 60*days, 0))
	for i := 0; i < 4; i++ {
		// Mediation (not consultation) about loans, and family disputes without violence.
		rig.file(0, m.Signal{PersonID: 5, RequestKind: m.KindMediation, Category: "other", StationID: 11, Description: "网贷纠纷"})
		if got := rig.file(0, m.Signal{PersonID: 6, Category: "family", StationID: 11, Description: "离婚财产分割"}); len(got) != 0 {
			t.Fatalf("unrelated events raised %+v", got)
		}
	}
}

func TestRiskScoreRule(t *testing.T) {
	r := rule(w.KindRiskScore, 80, 0, 0)
	r.Severity = w.SeverityRed
	rig := newWarningRig(t, r)
	if got := rig.emit(m.Signal{Type: "risk_assessed", RequestID: 1, PersonID: 1, StationID: 11, RiskScore: 79, At: rig.now}); len(got) != 0 {
		t.Fatal("79 fired an 80 rule")
	}
	got := rig.emit(m.Signal{Type: "risk_assessed", RequestID: 2, PersonID: 1, StationID: 11, RiskScore: 80, At: rig.now})
	if len(got) != 1 || got[0].Severity != w.SeverityRed || got[0].Subject != "request:2" {
		t.Fatalf("80 on an 80 rule: %+v", got)
	}
}

func TestWindowAndCooldownFollowTheClock(t *testing.T) {
	rig := newWarningRig(t, rule(w.KindSamePerson, 3, 30*days, 7*days))
	p := m.Signal{PersonID: 9, Category: "debt", StationID: 11}
	rig.file(31*days, p) // outside the window by the time of the third
	rig.file(20*days, p)
	if got := rig.file(0, p); len(got) != 0 {
		t.Fatalf("an event 31 days old counted: %+v", got)
	}
	if got := rig.file(0, p); len(got) != 1 {
		t.Fatalf("three within 30 days did not fire: %+v", got)
	}
	rig.now = rig.now.Add(8 * days) // past the cool-down; two recent ones still in the window
	if got := rig.file(0, p); len(got) != 1 {
		t.Fatalf("after the cool-down the rule must fire again: %+v", got)
	}
}

func TestRetriedEventCountsOnce(t *testing.T) {
	rig := newWarningRig(t, rule(w.KindSamePerson, 2, 30*days, 0))
	rig.file(0, m.Signal{PersonID: 3, Category: "debt", StationID: 11})
	// Count the same signal again, as a crashed worker's retry would.
	events, err := rig.signals.Since(context.Background(), rig.now.Add(-time.Hour), 0, 10)
	if err != nil || len(events) != 1 {
		t.Fatal(err, len(events))
	}
	rules, _ := rig.store.Rules(context.Background())
	if got, err := rig.svc.Observe(context.Background(), rules, events[0]); err != nil || len(got) != 0 {
		t.Fatalf("a retried event counted twice: %+v %v", got, err)
	}
}

func TestCountersRebuiltAfterAFlushGiveTheSameAnswers(t *testing.T) {
	rig := newWarningRig(t, rule(w.KindSamePerson, 3, 30*days, 0), rule(w.KindCategoryPlace, 3, 7*days, 0))
	p := m.Signal{PersonID: 4, Category: "neighbour", StationID: 11, Place: "新村"}
	rig.file(10*days, p) // in the person window, out of the community window
	rig.file(2*days, p)
	rig.flush() // Redis loses everything
	got := rig.file(0, p)
	var kinds []string
	for _, g := range got {
		kinds = append(kinds, string(g.RuleKind))
	}
	if fmt.Sprint(kinds) != "[same_person]" {
		t.Fatalf("after a flush the third event raised %v, want [same_person] (the community window holds only two)", kinds)
	}
}

// lockCounter counts the rule locks taken: each is a transaction and a
// locked round trip, which an event of a subject still cooling down should
// not cost once this instance knows it fired.
type lockCounter struct {
	w.RuleStore
	mu    sync.Mutex
	locks int
}

func (l *lockCounter) LockRule(ctx context.Context, id int64) error {
	l.mu.Lock()
	l.locks++
	l.mu.Unlock()
	return l.RuleStore.LockRule(ctx, id)
}

func TestCoolingDownCostsNoDatabaseRoundTrip(t *testing.T) {
	rig := newWarningRig(t, rule(w.KindSamePerson, 2, 30*days, 7*days))
	counted := &lockCounter{RuleStore: rig.store}
	rig.svc.Rules = counted
	p := m.Signal{PersonID: 12, Category: "debt", StationID: 11}
	rig.file(0, p)
	if got := rig.file(0, p); len(got) != 1 {
		t.Fatalf("the second filing did not fire: %+v", got)
	}
	locks := counted.locks
	for i := 0; i < 5; i++ {
		if got := rig.file(0, p); len(got) != 0 {
			t.Fatalf("fired within the cool-down: %+v", got)
		}
	}
	if counted.locks != locks {
		t.Fatalf("%d rule locks for five events of a subject this instance knows is cooling down, want 0", counted.locks-locks)
	}

	// Another instance, which did not see it fire, still asks the database
	// and stays quiet.
	s := rig.svc
	otherRig := *rig
	otherRig.svc = &w.Service{Tx: s.Tx, Rules: counted, Warnings: s.Warnings, Counter: s.Counter, Signals: s.Signals,
		Sheets: s.Sheets, Audit: s.Audit, Clock: s.Clock}
	if got := otherRig.file(0, p); len(got) != 0 {
		t.Fatalf("an instance that did not raise it fired within the cool-down: %+v", got)
	}
	if counted.locks != locks+1 {
		t.Fatalf("the other instance took %d rule locks, want 1 (it must check the database)", counted.locks-locks)
	}
}
