package assessment

import (
	"context"
	"sort"
	"time"
)

// Money is the monthly amounts, in yuan: a subsidy per concluded case by
// its difficulty tier, and a monthly fee per firm by the daily call volume
// of the station it serves (≥80, 60–80, <60 requests a day).
type Money struct {
	SubsidyByTier map[string]int // tier → yuan per case
	FeeHigh       int            // station volume ≥ HighFrom a day
	FeeMid        int            // ≥ MidFrom
	FeeLow        int
	HighFrom      float64
	MidFrom       float64
}

// DefaultMoney follows the tiers of seed 001; amounts are placeholders the
// bureau sets.
var DefaultMoney = Money{SubsidyByTier: map[string]int{"simple": 200, "normal": 500, "complex": 1000},
	FeeHigh: 30000, FeeMid: 25000, FeeLow: 20000, HighFrom: 80, MidFrom: 60}

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

// FirmMoney is a firm's monthly statement.
type FirmMoney struct {
	FirmID      int64
	CasesByTier map[string]int
	Subsidy     int
	StationID   int64   // the busiest station it serves
	DailyVolume float64 // that station's requests per day
	FeeTier     string
	Fee         int
	Total       int
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
		fm := FirmMoney{FirmID: firm, CasesByTier: map[string]int{}}
		for tier, n := range cases[firm].ByTier {
			fm.CasesByTier[tier] = n
			fm.Subsidy += n * s.Money.SubsidyByTier[tier]
		}
		for _, st := range stations[firm] {
			if fm.StationID == 0 || volume[st] > fm.DailyVolume {
				fm.StationID, fm.DailyVolume = st, volume[st]
			}
		}
		fm.FeeTier, fm.Fee = s.Money.TierOfVolume(fm.DailyVolume)
		fm.Total = fm.Subsidy + fm.Fee
		out = append(out, fm)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FirmID < out[j].FirmID })
	return out, nil
}

// MoneyStatement is Statement over the service's own volumes.
func (s *Service) MoneyStatement(ctx context.Context, from, to time.Time) ([]FirmMoney, error) {
	return s.Statement(ctx, s.Volumes, from, to)
}
