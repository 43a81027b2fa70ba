package mysql

import (
	"context"
	"strconv"
	"time"

	"github.com/tiaojie/tiaojie/domain/dutywork"
	"github.com/tiaojie/tiaojie/domain/stats"
)

var _ stats.DutyWork = (*DutyWorkStore)(nil)

// DutyWork implements stats.DutyWork: the window's records grouped in Go
// (a month's duty work is hundreds of rows, and the month of a local time
// is the same code on MariaDB and SQLite this way).
func (s *DutyWorkStore) DutyWork(ctx context.Context, q stats.Query) (map[string]stats.DutyFigures, error) {
	recs, err := s.Work(ctx, q.Stations, q.From, q.To)
	if err != nil {
		return nil, err
	}
	out := map[string]stats.DutyFigures{}
	for _, r := range recs {
		key := ""
		switch q.By {
		case stats.ByStation:
			key = strconv.FormatInt(r.StationID, 10)
		case stats.ByMonth:
			key = r.At.Add(q.Offset).Format("2006-01")
		}
		f := out[key]
		switch r.Kind {
		case dutywork.Consultation:
			f.Consultations++
		case dutywork.Education:
			f.EducationSessions++
			f.EducationAttendees += int64(r.Attendees)
		case dutywork.PoliceAssist:
			f.PoliceAssists++
		}
		out[key] = f
	}
	return out, nil
}

// DutyLedger implements stats.DutyWork.
func (s *DutyWorkStore) DutyLedger(ctx context.Context, stations []int64, from, to time.Time) ([]stats.DutyLedgerLine, error) {
	if len(stations) == 0 {
		return nil, nil
	}
	var rows []dutyWorkRow
	err := s.db.Conn(ctx).Select("id, kind, lawyer_id, station_id, at, minutes, topic, attendees").
		Where("station_id IN ? AND at >= ? AND at < ?", stations, from.UTC(), to.UTC()).Order("at, id").Find(&rows).Error
	if err != nil {
		return nil, Translate(err, "duty work ledger")
	}
	out := make([]stats.DutyLedgerLine, len(rows))
	for i, r := range rows {
		out[i] = stats.DutyLedgerLine{ID: r.ID, At: r.At.UTC(), StationID: r.StationID, Kind: r.Kind, LawyerID: r.LawyerID, Topic: r.Topic,
			Minutes: r.Minutes, Attendees: r.Attendees}
	}
	return out, nil
}
