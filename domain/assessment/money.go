package assessment

import (
	"context"
	"sort"
	"strconv"
	"time"
)

// Tiers is how many difficulty tiers case subsidies have (seed 000: "分5个
// 档次落实调解案件补助").
const Tiers = 5

// Money is the monthly amounts, in yuan: a subsidy per concluded case by
// its difficulty tier (1 simplest … 5 hardest), and a monthly duty fee for
// each station a firm serves by that station's daily call volume (≥80,
// 60–80, <60 requests a day).
type Money struct {
	Subsidy [Tiers + 1]int // tier → yuan per case; [0] unused
	// TierOfClass is the tier of a case no supervisor has rated, by its
	// classification.
	TierOfClass map[string]int
	FeeHigh     int // station volume ≥ HighFrom a day
	FeeMid      int // ≥ MidFrom
	FeeLow      int
	HighFrom    float64
	MidFrom     float64
}

// DefaultMoney follows the tiers of seeds 000 and 001; amounts are
// placeholders the bureau sets. Public-security disputes default to tier
// 1, civil ones to 3, minor criminal cases with a civil part to 5 — what
// the three tiers simple, normal and complex were before five.
var DefaultMoney = Money{Subsidy: [Tiers + 1]int{0, 200, 350, 500, 750, 1000},
	TierOfClass: map[string]int{"public_security": 1, "civil": 3, "minor_criminal_civil": 5},
	FeeHigh:     30000, FeeMid: 25000, FeeLow: 20000, HighFrom: 80, MidFrom: 60}

// TierOf is a case's subsidy tier: a supervisor's rating (1–5) when there
// is one, else its classification's default (civil's when unknown).
func (m Money) TierOf(rated int, classification string) int {
	if rated >= 1 && rated <= Tiers {
		return rated
	}
	if t, ok := m.TierOfClass[classification]; ok {
		return t
	}
	if t, ok := m.TierOfClass["civil"]; ok {
		return t
	}
	return 3
}

// TierOfVolume names the fee tier of a daily volume.
func (m Money) TierOfVolume(perDay float64) (string, int) {
	switch {
	case perDay >= m.HighFrom:
		return "high", m.FeeHigh
	case perDay >= m.MidFrom:
		return "mid", m.FeeMid
	}
	return "low", m.FeeLow
}

// Volumes reads each firm's stations' average daily requests.
type Volumes interface {
	// FirmStations maps each firm to the stations its lawyers serve.
	FirmStations(ctx context.Context) (map[int64][]int64, error)
	// DailyVolume is each station's requests per day over [from, to).
	DailyVolume(ctx context.Context, from, to time.Time) (map[int64]float64, error)
}

// StationFee is a firm's duty fee for one station it serves.
type StationFee struct {
	StationID   int64
	DailyVolume float64
	FeeTier     string
	Fee         int
}

// FirmMoney is a firm's monthly statement.
type FirmMoney struct {
	FirmID      int64
	CasesByTier map[string]int // "1"…"5" → concluded cases
	Subsidy     int
	Stations    []StationFee // one line per station served
	StationID   int64        // the busiest station it serves
	DailyVolume float64      // that station's requests per day
	FeeTier     string       // and its tier
	Fee         int          // the stations' fees together
	Total       int
}

// Bill is a firm's money from its cases and stations: each case paid by
// its tier, each station's fee by its own volume.
func (m Money) Bill(firm int64, cases map[Difficulty]int, stations []int64, volume map[int64]float64) FirmMoney {
	fm := FirmMoney{FirmID: firm, CasesByTier: map[string]int{}, Stations: []StationFee{}}
	for t := 1; t <= Tiers; t++ {
		fm.CasesByTier[strconv.Itoa(t)] = 0
	}
	for d, n := range cases {
		t := m.TierOf(d.Rated, d.Classification)
		fm.CasesByTier[strconv.Itoa(t)] += n
		fm.Subsidy += n * m.Subsidy[t]
	}
	for _, st := range stations {
		tier, fee := m.TierOfVolume(volume[st])
		fm.Stations = append(fm.Stations, StationFee{StationID: st, DailyVolume: volume[st], FeeTier: tier, Fee: fee})
		fm.Fee += fee
		if fm.StationID == 0 || volume[st] > fm.DailyVolume {
			fm.StationID, fm.DailyVolume, fm.FeeTier = st, volume[st], tier
		}
	}
	if fm.FeeTier == "" {
		fm.FeeTier, _ = m.TierOfVolume(0)
	}
	sort.Slice(fm.Stations, func(i, j int) bool { return fm.Stations[i].StationID < fm.Stations[j].StationID })
	fm.Total = fm.Subsidy + fm.Fee
	return fm
}

// Statement is every firm's money for [from, to).
func (s *Service) Statement(ctx context.Context, v Volumes, from, to time.Time) ([]FirmMoney, error) {
	firms, err := s.Figures.Firms(ctx)
	if err != nil {
		return nil, err
	}
	cases, err := s.Figures.Cases(ctx, from, to)
	if err != nil {
		return nil, err
	}
	stations, err := v.FirmStations(ctx)
	if err != nil {
		return nil, err
	}
	volume, err := v.DailyVolume(ctx, from, to)
	if err != nil {
		return nil, err
	}
	var out []FirmMoney
	for _, firm := range firms {
		out = append(out, s.Money.Bill(firm, cases[firm].ByDifficulty, stations[firm], volume))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FirmID < out[j].FirmID })
	return out, nil
}

// MoneyStatement is Statement over the service's own volumes.
func (s *Service) MoneyStatement(ctx context.Context, from, to time.Time) ([]FirmMoney, error) {
	return s.Statement(ctx, s.Volumes, from, to)
}
