package incident_test

import (
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/incident"
)

// A standard with round figures, so that every expected amount below can be
// checked by hand.
var cq = incident.Standard{Province: "chongqing", ProvinceName: "重庆市", Year: 2026, DisposableIncomeFen: 45_000_00, AverageWageFen: 73_000_00,
	NursingPerDayFen: 150_00, HospitalFoodPerDayFen: 50_00, NutritionPerDayFen: 30_00}

func TestCalculate(t *testing.T) {
	tests := []struct {
		name    string
		in      incident.Input
		items   map[string]int64
		total   int64
		payable int64
	}{
		{"medical costs alone are the receipts", incident.Input{MedicalFen: 1234_56},
			map[string]int64{incident.ItemMedical: 1234_56}, 1234_56, 1234_56},
		{"lost income without proof uses the average wage per day of the year",
			// 73000元 ÷ 365 = 200元 a day × 10 days
			incident.Input{LostDays: 10}, map[string]int64{incident.ItemLostIncome: 2000_00}, 2000_00, 2000_00},
		{"lost income with proven earnings", incident.Input{LostDays: 3, DailyIncomeFen: 300_00},
			map[string]int64{incident.ItemLostIncome: 900_00}, 900_00, 900_00},
		{"one day off work is a 365th of the average wage",
			incident.Input{LostDays: 1, DailyIncomeFen: 0}, map[string]int64{incident.ItemLostIncome: 200_00}, 200_00, 200_00},
		{"nursing counts carers, one when none is named", incident.Input{NursingDays: 4},
			map[string]int64{incident.ItemNursing: 600_00}, 600_00, 600_00},
		{"two carers at a proven wage", incident.Input{NursingDays: 4, Carers: 2, NursingDailyFen: 200_00},
			map[string]int64{incident.ItemNursing: 1600_00}, 1600_00, 1600_00},
		{"hospital food and nutrition by the day", incident.Input{HospitalDays: 5, NutritionDays: 10},
			map[string]int64{incident.ItemHospital: 250_00, incident.ItemNutrition: 300_00}, 550_00, 550_00},
		{"transport is the receipts", incident.Input{TransportFen: 86_50}, map[string]int64{incident.ItemTransport: 86_50}, 86_50, 86_50},
		{"grade 10 disability of a forty-year-old: 20 years at one tenth",
			incident.Input{DisabilityGrade: 10, Age: 40}, map[string]int64{incident.ItemDisability: 90000_00}, 90000_00, 90000_00},
		{"grade 1 disability: the full twenty years", incident.Input{DisabilityGrade: 1, Age: 30},
			map[string]int64{incident.ItemDisability: 900000_00}, 900000_00, 900000_00},
		{"over sixty a year less for each year", incident.Input{DisabilityGrade: 8, Age: 65},
			// 45000 × 15 × 3/10
			map[string]int64{incident.ItemDisability: 202500_00}, 202500_00, 202500_00},
		{"from seventy-five five years", incident.Input{DisabilityGrade: 9, Age: 80},
			map[string]int64{incident.ItemDisability: 45000_00}, 45000_00, 45000_00},
		{"liability share applies to the total, rounded half up", incident.Input{MedicalFen: 1_01, LiabilityPct: 50},
			map[string]int64{incident.ItemMedical: 1_01}, 1_01, 51},
		{"nothing owed is an empty calculation", incident.Input{}, map[string]int64{}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Province, tt.in.Year = "chongqing", 2026
			res, err := incident.Calculate(cq, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int64{}
			var sum int64
			for _, it := range res.Items {
				got[it.Code] = it.AmountFen
				sum += it.AmountFen
				if it.Name == "" || it.Basis == "" {
					t.Errorf("item %s lacks its name or basis", it.Code)
				}
			}
			if len(got) != len(tt.items) {
				t.Errorf("items %v, want %v", got, tt.items)
			}
			for k, v := range tt.items {
				if got[k] != v {
					t.Errorf("%s = %d fen, want %d", k, got[k], v)
				}
			}
			if res.TotalFen != tt.total || sum != res.TotalFen || res.PayableFen != tt.payable {
				t.Errorf("total %d (items sum %d), payable %d; want %d, %d", res.TotalFen, sum, res.PayableFen, tt.total, tt.payable)
			}
		})
	}
}

func TestDisabilityRules(t *testing.T) {
	for age, years := range map[int]int{18: 20, 60: 20, 61: 19, 70: 10, 74: 6, 75: 5, 90: 5} {
		if got := incident.DisabilityYears(age); got != years {
			t.Errorf("at %d: %d years, want %d", age, got, years)
		}
	}
	for grade := 1; grade <= 10; grade++ {
		if got := incident.DisabilityRatio(grade); got != 11-grade {
			t.Errorf("grade %d: %d tenths", grade, got)
		}
	}
	if incident.DisabilityRatio(0) != 0 || incident.DisabilityRatio(11) != 0 {
		t.Error("a grade outside 1–10 counts")
	}
}

func TestInputValidation(t *testing.T) {
	bad := []struct {
		name  string
		in    incident.Input
		field string
	}{
		{"no province", incident.Input{Year: 2026}, "province"},
		{"a year out of range", incident.Input{Province: "chongqing", Year: 1999}, "year"},
		{"negative medical costs", incident.Input{Province: "chongqing", Year: 2026, MedicalFen: -1}, "medical_fen"},
		{"ten years off work", incident.Input{Province: "chongqing", Year: 2026, LostDays: 4000}, "lost_days"},
		{"an eleventh grade", incident.Input{Province: "chongqing", Year: 2026, DisabilityGrade: 11, Age: 30}, "disability_grade"},
		{"a grade without an age", incident.Input{Province: "chongqing", Year: 2026, DisabilityGrade: 5}, "age"},
		{"more than full liability", incident.Input{Province: "chongqing", Year: 2026, LiabilityPct: 101}, "liability_pct"},
		{"six carers", incident.Input{Province: "chongqing", Year: 2026, Carers: 6}, "carers"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.Validate()
			e, ok := domain.AsError(err)
			if !ok || e.Kind != domain.KindInvalid || len(e.Fields) == 0 || e.Fields[0].Field != tt.field {
				t.Fatalf("%v, want a problem with %s", err, tt.field)
			}
		})
	}
	for _, st := range incident.SampleStandards(2026) {
		if err := st.Validate(); err != nil || !st.Sample {
			t.Errorf("sample standard %s: %v (sample %v)", st.Province, err, st.Sample)
		}
	}
}

// The calculator takes numbers from outside (the API's JSON); whatever they
// are it either refuses them or returns items that add up, none negative,
// the payable share never above the total.
func FuzzCalculate(f *testing.F) {
	f.Add(int64(123456), 10, int64(0), 4, 2, int64(0), int64(8650), 5, 10, 8, 65, 50)
	f.Add(int64(-1), -5, int64(-3), 9999, 99, int64(1)<<62, int64(1)<<62, 1<<30, -1, 11, 200, 101)
	f.Fuzz(func(t *testing.T, medical int64, lostDays int, daily int64, nursingDays, carers int, nursingDaily, transport int64,
		hospitalDays, nutritionDays, grade, age, liability int) {
		in := incident.Input{Province: "chongqing", Year: 2026, MedicalFen: medical, LostDays: lostDays, DailyIncomeFen: daily,
			NursingDays: nursingDays, Carers: carers, NursingDailyFen: nursingDaily, TransportFen: transport, HospitalDays: hospitalDays,
			NutritionDays: nutritionDays, DisabilityGrade: grade, Age: age, LiabilityPct: liability}
		res, err := incident.Calculate(cq, in)
		if err != nil {
			if !domain.IsKind(err, domain.KindInvalid) {
				t.Fatalf("refused with %v, want a validation error", err)
			}
			return
		}
		var sum int64
		for _, it := range res.Items {
			if it.AmountFen <= 0 {
				t.Fatalf("item %s is %d", it.Code, it.AmountFen)
			}
			sum += it.AmountFen
		}
		if sum != res.TotalFen || res.PayableFen < 0 || res.PayableFen > res.TotalFen {
			t.Fatalf("items %d, total %d, payable %d", sum, res.TotalFen, res.PayableFen)
		}
	})
}
