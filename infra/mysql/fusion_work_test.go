package mysql_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/incident"
	"github.com/tiaojie/tiaojie/domain/pairing"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// A station has one active pairing however many supervisors pair it at
// once: twenty goroutines race, exactly one wins and the others are told
// it is a conflict; once it ends, the station can be paired again. The
// newest visit of each pairing and the open findings read the same on both
// engines.
func TestPairingStoreOnEachEngine(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		s := mysql.NewPairingStore(db)
		at := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
		var wg sync.WaitGroup
		var mu sync.Mutex
		won, lost := 0, 0
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := db.WithTx(ctx, func(ctx context.Context) error {
					return s.CreatePairing(ctx, &pairing.Pairing{CadreID: int64(100 + i), CadreName: "干部", Level: pairing.County, StationID: 7, CreatedAt: at})
				})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won++
				case domain.IsKind(err, domain.KindConflict):
					lost++
				default:
					t.Errorf("pairing %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		if won != 1 || lost != 19 {
			t.Fatalf("%d pairings won, %d lost; want exactly one", won, lost)
		}
		active, err := s.ActivePairings(ctx, []int64{7})
		if err != nil || len(active) != 1 {
			t.Fatalf("active pairings: %v, %v", active, err)
		}
		first := active[0]
		other := &pairing.Pairing{CadreID: 9, CadreName: "干部二", Level: pairing.City, StationID: 8, CreatedAt: at}
		if err := s.CreatePairing(ctx, other); err != nil {
			t.Fatal(err)
		}
		for _, v := range []pairing.Visit{
			{PairingID: first.ID, CadreID: first.CadreID, StationID: 7, VisitedAt: at.Add(24 * time.Hour), Summary: "一", CreatedAt: at},
			{PairingID: first.ID, CadreID: first.CadreID, StationID: 7, VisitedAt: at.Add(72 * time.Hour), Summary: "二", CreatedAt: at},
			{PairingID: first.ID, CadreID: first.CadreID, StationID: 7, VisitedAt: at.Add(48 * time.Hour), Summary: "三", CreatedAt: at},
		} {
			if err := s.CreateVisit(ctx, &v); err != nil {
				t.Fatal(err)
			}
			f := pairing.Finding{VisitID: v.ID, PairingID: first.ID, StationID: 7, Description: "问题", State: pairing.FindingOpen, Round: 1, CreatedAt: at, UpdatedAt: at, Version: 1}
			if err := s.CreateFinding(ctx, &f); err != nil {
				t.Fatal(err)
			}
		}
		last, err := s.LastVisits(ctx, []int64{first.ID, other.ID})
		if err != nil || len(last) != 1 || !last[first.ID].Equal(at.Add(72*time.Hour)) {
			t.Fatalf("last visits %v, %v; want the third day's for the first pairing only", last, err)
		}
		open, err := s.OpenFindings(ctx, []int64{7, 8})
		if err != nil || open[7] != 3 || open[8] != 0 {
			t.Fatalf("open findings %v, %v", open, err)
		}
		visits, err := s.Visits(ctx, first.ID, 10)
		if err != nil || len(visits) != 3 || visits[0].Summary != "二" || len(visits[0].Findings) != 1 {
			t.Fatalf("visits newest first with findings: %+v, %v", visits, err)
		}
		f := visits[0].Findings[0]
		f.State = pairing.FindingRectified
		if ok, err := s.UpdateFinding(ctx, &f); err != nil || !ok {
			t.Fatalf("update finding: %v %v", ok, err)
		}
		f.Version = 1 // stale
		if ok, err := s.UpdateFinding(ctx, &f); err != nil || ok {
			t.Fatalf("a stale finding update: %v %v; want refused", ok, err)
		}
		if err := s.EndPairing(ctx, first.ID, at.Add(96*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.CreatePairing(ctx, &pairing.Pairing{CadreID: 5, CadreName: "新干部", Level: pairing.Province, StationID: 7, CreatedAt: at}); err != nil {
			t.Fatalf("pairing the station again after the end: %v", err)
		}
		visitsN, findings, verified, err := s.Counts(ctx, []int64{7}, at, at.Add(100*time.Hour))
		if err != nil || visitsN != 3 || findings != 3 || verified != 0 {
			t.Fatalf("counts %d %d %d, %v", visitsN, findings, verified, err)
		}
	})
}

// Incidents, their workers and calculations round-trip on both engines; a
// worker is on an incident once; the counts filter by station.
func TestIncidentStoreOnEachEngine(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		s := mysql.NewIncidentStore(db)
		at := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
		in := &incident.Incident{StationID: 3, OfficerID: 1, CaseType: incident.CaseCivil, Summary: "纠纷", OccurredAt: at, State: incident.Open,
			CreatedAt: at, UpdatedAt: at, Version: 1}
		if err := s.CreateIncident(ctx, in); err != nil {
			t.Fatal(err)
		}
		w := incident.Worker{UserID: 9, OrgID: 4, Name: "郑调解员", Role: incident.JusticeOfficer, InvitedBy: 1, InvitedAt: at}
		if err := s.AddWorker(ctx, in.ID, w); err != nil {
			t.Fatal(err)
		}
		if err := s.AddWorker(ctx, in.ID, w); !domain.IsKind(err, domain.KindConflict) {
			t.Fatalf("the same worker twice: %v, want a conflict", err)
		}
		st := incident.SampleStandards(2026)[0]
		st.CreatedAt, st.UpdatedAt, st.Version = at, at, 1
		if err := s.CreateStandard(ctx, &st); err != nil {
			t.Fatal(err)
		}
		dup := st
		if err := s.CreateStandard(ctx, &dup); !domain.IsKind(err, domain.KindConflict) {
			t.Fatalf("a second standard for the province and year: %v", err)
		}
		input := incident.Input{Province: st.Province, Year: 2026, MedicalFen: 100_00, HospitalDays: 2}
		res, err := incident.Calculate(st, input)
		if err != nil {
			t.Fatal(err)
		}
		c := &incident.Calculation{IncidentID: in.ID, StandardID: st.ID, Sample: true, Input: input, Result: res, CreatedBy: 9, CreatedAt: at}
		if err := s.AddCalculation(ctx, c); err != nil {
			t.Fatal(err)
		}
		calcs, err := s.Calculations(ctx, in.ID)
		if err != nil || len(calcs) != 1 || calcs[0].Result.TotalFen != res.TotalFen || len(calcs[0].Result.Items) != 2 || calcs[0].Input != input {
			t.Fatalf("calculations %+v, %v", calcs, err)
		}
		got, err := s.Incident(ctx, in.ID)
		if err != nil || len(got.Workers) != 1 || got.Workers[0].Name != "郑调解员" {
			t.Fatalf("incident %+v, %v", got, err)
		}
		got.State = incident.Assisting
		if ok, err := s.UpdateIncident(ctx, got); err != nil || !ok {
			t.Fatalf("update: %v %v", ok, err)
		}
		got.Version = 1
		if ok, err := s.UpdateIncident(ctx, got); err != nil || ok {
			t.Fatalf("a stale update: %v %v; want refused", ok, err)
		}
		for stations, want := range map[*[]int64]int64{{3}: 1, {4}: 0} {
			n, err := s.Counts(ctx, *stations, at.Add(-time.Hour), at.Add(time.Hour))
			if err != nil || n.Incidents != want || n.WithLegalWorker != want || n.Calculations != want {
				t.Errorf("counts at %v: %+v, %v", *stations, n, err)
			}
		}
		if l, err := s.Incidents(ctx, incident.Filter{WorkerID: 9, Limit: 10}); err != nil || len(l) != 1 || len(l[0].Workers) != 1 {
			t.Errorf("the worker's incidents: %+v, %v", l, err)
		}
	})
}
