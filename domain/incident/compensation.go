package incident

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// Standard is one province's compensation figures for one year (人身损害赔偿
// 标准), kept by admins. Money is in fen (分); daily figures are per day,
// yearly ones per year.
type Standard struct {
	ID                    int64
	Province              string // a code, e.g. "chongqing"
	ProvinceName          string // e.g. 重庆市
	Year                  int
	DisposableIncomeFen   int64 // 上一年度城镇居民人均可支配收入 (yearly): disability compensation
	AverageWageFen        int64 // 上一年度职工平均工资 (yearly): lost income without proof of earnings
	NursingPerDayFen      int64 // 护理费 per carer per day, when no wage is shown
	HospitalFoodPerDayFen int64 // 住院伙食补助费 per day in hospital
	NutritionPerDayFen    int64 // 营养费 per day the doctors advise
	Sample                bool  // the figures are samples, to be replaced with the published ones
	Note                  string
	UpdatedBy             int64
	CreatedAt             time.Time
	UpdatedAt             time.Time
	Version               int
}

// Bounds of the figures and inputs: large enough for any real case, small
// enough that no product of them overflows int64 fen.
const (
	maxYearlyFen = 100_000_000_00 // 1 亿元 a year
	maxDailyFen  = 1_000_000_00   // 100 万元 a day
	maxAmountFen = 1_000_000_000_00
	maxDays      = 3650
	maxCarers    = 5
)

// Validate checks a standard an admin wrote.
func (s *Standard) Validate() error {
	var p domain.Problems
	s.Province, s.ProvinceName, s.Note = strings.TrimSpace(s.Province), strings.TrimSpace(s.ProvinceName), strings.TrimSpace(s.Note)
	if s.Province == "" {
		p.Add("province", domain.FieldRequired, "is required")
	} else if len(s.Province) > 32 || strings.IndexFunc(s.Province, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r == '_') }) >= 0 {
		p.Add("province", domain.FieldInvalid, "is a lower-case code such as chongqing")
	}
	if s.ProvinceName == "" {
		p.Add("province_name", domain.FieldRequired, "is required")
	} else if utf8.RuneCountInString(s.ProvinceName) > 50 {
		p.Add("province_name", domain.FieldTooLong, "is too long")
	}
	if s.Year < 2000 || s.Year > 2100 {
		p.Add("year", domain.FieldOutOfRange, "is 2000 to 2100")
	}
	money := func(field string, v, max int64) {
		if v <= 0 || v > max {
			p.Add(field, domain.FieldOutOfRange, fmt.Sprintf("is 1 to %d fen", max))
		}
	}
	money("disposable_income_fen", s.DisposableIncomeFen, maxYearlyFen)
	money("average_wage_fen", s.AverageWageFen, maxYearlyFen)
	money("nursing_per_day_fen", s.NursingPerDayFen, maxDailyFen)
	money("hospital_food_per_day_fen", s.HospitalFoodPerDayFen, maxDailyFen)
	money("nutrition_per_day_fen", s.NutritionPerDayFen, maxDailyFen)
	if utf8.RuneCountInString(s.Note) > 500 {
		p.Add("note", domain.FieldTooLong, "is at most 500 characters")
	}
	return p.Err()
}

// Input is what the calculator is told about the injured party. Zero daily
// figures fall back to the standard's.
type Input struct {
	Province        string
	Year            int
	MedicalFen      int64 // 医疗费: the receipts
	LostDays        int   // 误工天数
	DailyIncomeFen  int64 // proven daily earnings; 0: the standard's average wage
	NursingDays     int   // 护理天数
	Carers          int   // 护理人数 (0 counts as 1 when there are nursing days)
	NursingDailyFen int64 // a carer's proven daily wage; 0: the standard's
	TransportFen    int64 // 交通费: the receipts
	HospitalDays    int   // 住院天数: hospital food allowance
	NutritionDays   int   // 营养期
	DisabilityGrade int   // 伤残等级 1 (most severe) … 10; 0: none
	Age             int   // the injured party's age when the disability was assessed
	LiabilityPct    int   // the other side's share of liability, 0–100; 0 counts as 100
}

// Validate checks an input, every bad field at once.
func (in *Input) Validate() error {
	var p domain.Problems
	in.Province = strings.TrimSpace(in.Province)
	if in.Province == "" {
		p.Add("province", domain.FieldRequired, "is required")
	}
	if in.Year < 2000 || in.Year > 2100 {
		p.Add("year", domain.FieldOutOfRange, "is 2000 to 2100")
	}
	amount := func(field string, v, max int64) {
		if v < 0 || v > max {
			p.Add(field, domain.FieldOutOfRange, fmt.Sprintf("is 0 to %d fen", max))
		}
	}
	days := func(field string, v int) {
		if v < 0 || v > maxDays {
			p.Add(field, domain.FieldOutOfRange, fmt.Sprintf("is 0 to %d days", maxDays))
		}
	}
	amount("medical_fen", in.MedicalFen, maxAmountFen)
	amount("transport_fen", in.TransportFen, maxAmountFen)
	amount("daily_income_fen", in.DailyIncomeFen, maxDailyFen)
	amount("nursing_daily_fen", in.NursingDailyFen, maxDailyFen)
	days("lost_days", in.LostDays)
	days("nursing_days", in.NursingDays)
	days("hospital_days", in.HospitalDays)
	days("nutrition_days", in.NutritionDays)
	if in.Carers < 0 || in.Carers > maxCarers {
		p.Add("carers", domain.FieldOutOfRange, fmt.Sprintf("is 0 to %d", maxCarers))
	}
	if in.DisabilityGrade < 0 || in.DisabilityGrade > 10 {
		p.Add("disability_grade", domain.FieldOutOfRange, "is 1 (most severe) to 10, or 0 for none")
	}
	if in.Age < 0 || in.Age > 150 {
		p.Add("age", domain.FieldOutOfRange, "is 0 to 150")
	}
	if in.DisabilityGrade > 0 && in.Age == 0 {
		p.Add("age", domain.FieldRequired, "is needed for disability compensation")
	}
	if in.LiabilityPct < 0 || in.LiabilityPct > 100 {
		p.Add("liability_pct", domain.FieldOutOfRange, "is 0 to 100")
	}
	return p.Err()
}

// Item codes of a calculation.
const (
	ItemMedical    = "medical"     // 医疗费
	ItemLostIncome = "lost_income" // 误工费
	ItemNursing    = "nursing"     // 护理费
	ItemTransport  = "transport"   // 交通费
	ItemHospital   = "hospital_food"
	ItemNutrition  = "nutrition"  // 营养费
	ItemDisability = "disability" // 残疾赔偿金
)

// Item is one line of the result.
type Item struct {
	Code      string
	Name      string
	Basis     string // how it was reckoned, in words a party can follow
	AmountFen int64
}

// Result is the itemised calculation.
type Result struct {
	Items        []Item
	TotalFen     int64 // the sum of the items
	LiabilityPct int
	PayableFen   int64 // TotalFen × LiabilityPct, rounded half up to the fen
}

// DisabilityYears is how many years of income disability compensation
// counts (最高人民法院《关于审理人身损害赔偿案件适用法律若干问题的解释》
// 第十二条): twenty; one year fewer for each year of age over sixty; never
// fewer than five from seventy-five on.
func DisabilityYears(age int) int {
	switch {
	case age >= 75:
		return 5
	case age > 60:
		return 20 - (age - 60)
	}
	return 20
}

// DisabilityRatio is the share, in tenths, of full compensation a grade
// gets: grade 1 is ten tenths, each grade down one tenth less, grade 10 one
// tenth (the customary 伤残赔偿指数).
func DisabilityRatio(grade int) int {
	if grade < 1 || grade > 10 {
		return 0
	}
	return 11 - grade
}

// divRound is n/d rounded half up, for non-negative n and positive d.
func divRound(n, d int64) int64 { return (n + d/2) / d }

func yuan(fen int64) string {
	if fen%100 == 0 {
		return fmt.Sprintf("%d元", fen/100)
	}
	return fmt.Sprintf("%d.%02d元", fen/100, fen%100)
}

// Calculate itemises what the injured party is owed under the standard.
// Items that come to nothing are left out. The input must be valid and
// match the standard's province and year.
func Calculate(st Standard, in Input) (Result, error) {
	if err := in.Validate(); err != nil {
		return Result{}, err
	}
	if in.Province != st.Province || in.Year != st.Year {
		return Result{}, domain.Errorf(domain.KindInternal, "compensation.standard_mismatch", "The standard is not the input's.")
	}
	var r Result
	add := func(code, name, basis string, fen int64) {
		if fen > 0 {
			r.Items = append(r.Items, Item{Code: code, Name: name, Basis: basis, AmountFen: fen})
			r.TotalFen += fen
		}
	}
	add(ItemMedical, "医疗费", "按医疗费票据合计", in.MedicalFen)
	if in.LostDays > 0 {
		if in.DailyIncomeFen > 0 {
			add(ItemLostIncome, "误工费", fmt.Sprintf("%s/天 × %d天", yuan(in.DailyIncomeFen), in.LostDays), in.DailyIncomeFen*int64(in.LostDays))
		} else {
			add(ItemLostIncome, "误工费", fmt.Sprintf("%d年度职工平均工资%s ÷ 365 × %d天", st.Year, yuan(st.AverageWageFen), in.LostDays),
				divRound(st.AverageWageFen*int64(in.LostDays), 365))
		}
	}
	if in.NursingDays > 0 {
		carers, daily := max(in.Carers, 1), in.NursingDailyFen
		if daily == 0 {
			daily = st.NursingPerDayFen
		}
		add(ItemNursing, "护理费", fmt.Sprintf("%s/天 × %d天 × %d人", yuan(daily), in.NursingDays, carers), daily*int64(in.NursingDays)*int64(carers))
	}
	add(ItemTransport, "交通费", "按交通费票据合计", in.TransportFen)
	if in.HospitalDays > 0 {
		add(ItemHospital, "住院伙食补助费", fmt.Sprintf("%s/天 × %d天", yuan(st.HospitalFoodPerDayFen), in.HospitalDays), st.HospitalFoodPerDayFen*int64(in.HospitalDays))
	}
	if in.NutritionDays > 0 {
		add(ItemNutrition, "营养费", fmt.Sprintf("%s/天 × %d天", yuan(st.NutritionPerDayFen), in.NutritionDays), st.NutritionPerDayFen*int64(in.NutritionDays))
	}
	if in.DisabilityGrade > 0 {
		years, ratio := DisabilityYears(in.Age), DisabilityRatio(in.DisabilityGrade)
		add(ItemDisability, "残疾赔偿金", fmt.Sprintf("%d年度城镇居民人均可支配收入%s × %d年 × %d级伤残%d0%%", st.Year, yuan(st.DisposableIncomeFen), years,
			in.DisabilityGrade, ratio), divRound(st.DisposableIncomeFen*int64(years)*int64(ratio), 10))
	}
	r.LiabilityPct = in.LiabilityPct
	if r.LiabilityPct == 0 {
		r.LiabilityPct = 100
	}
	r.PayableFen = divRound(r.TotalFen*int64(r.LiabilityPct), 100)
	return r, nil
}

// Calculation is a calculation kept on an incident, with what it was made
// from.
type Calculation struct {
	ID         int64
	IncidentID int64
	StandardID int64
	Sample     bool // made from sample figures
	Input      Input
	Result     Result
	Note       string
	CreatedBy  int64
	CreatedAt  time.Time
}
