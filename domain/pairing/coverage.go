package pairing

import "slices"

// LevelShare is how many stations one level pairs against its target.
type LevelShare struct {
	Level     Level
	Stations  int
	SharePct  int // of all the stations, rounded down
	TargetPct int
	Shortfall int // stations the level would need to add to reach its target (0 when it does)
}

// Summary is the validation of a set of stations' pairings: every station
// covered, each level near its share.
type Summary struct {
	Stations int
	Paired   int
	Unpaired []int64
	Complete bool // every station has its cadre
	ByLevel  []LevelShare
}

// Summarise checks the active pairings of the stations.
func Summarise(stations []int64, active []Pairing) Summary {
	paired := map[int64]Level{}
	for _, p := range active {
		if slices.Contains(stations, p.StationID) {
			paired[p.StationID] = p.Level
		}
	}
	s := Summary{Stations: len(stations), Paired: len(paired)}
	for _, id := range stations {
		if _, ok := paired[id]; !ok {
			s.Unpaired = append(s.Unpaired, id)
		}
	}
	slices.Sort(s.Unpaired)
	s.Complete = len(s.Unpaired) == 0
	for _, l := range Levels {
		n := 0
		for _, pl := range paired {
			if pl == l {
				n++
			}
		}
		ls := LevelShare{Level: l, Stations: n, TargetPct: l.TargetPct()}
		if len(stations) > 0 {
			ls.SharePct = n * 100 / len(stations)
			// the target in stations, rounded up: 50 % of 5 stations is 3
			if need := (len(stations)*l.TargetPct() + 99) / 100; need > n {
				ls.Shortfall = need - n
			}
		}
		s.ByLevel = append(s.ByLevel, ls)
	}
	return s
}
