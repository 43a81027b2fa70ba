package workorder

import (
	"fmt"
	"strings"
	"time"
)

// SLA is how much working time each kind of order may take before it
// escalates; an urgent (priority 1) order gets half.
type SLA map[string]time.Duration

// DefaultSLA follows the seeds' promises: a new request is screened the same
// half-day, an assignment taken within two working hours.
var DefaultSLA = SLA{
	KindScreenRequest:  4 * time.Hour,
	KindAssignment:     2 * time.Hour,
	KindVisitApproval:  8 * time.Hour,
	KindJointMediation: 8 * time.Hour,
	KindWarning:        2 * time.Hour,
	KindFollowUp:       7 * 8 * time.Hour, // the seed's 7-day follow-up after release, in working days
	KindAttention:      2 * time.Hour,
	KindDetaineeFiling: 8 * time.Hour,
	KindRecordReview:   8 * time.Hour,
	KindRecordReturned: 16 * time.Hour,
	// A court rules on an application for judicial confirmation within 15
	// days (民事诉讼法 and its interpretation); in working hours.
	KindJudicialConfirmation: 15 * 8 * time.Hour,
	// A missed visit is made up within three working days; patrols and
	// meeting actions carry their own deadlines (NewOrder.DueAt).
	KindSpecialContact: 3 * 8 * time.Hour,
	// A legal worker called to a police incident answers within the
	// half-day; a station rectifies a pairing finding within ten working
	// days; an expert answers an invitation within two.
	KindIncidentAssist:   4 * time.Hour,
	KindRectification:    10 * 8 * time.Hour,
	KindExpertInvitation: 2 * 8 * time.Hour,
	KindHomeStation:      16 * time.Hour, // two working days to call on the family
}

// For is the deadline length of an order; 0 means none.
func (s SLA) For(kind string, priority int) time.Duration {
	d := s[kind]
	if priority == 1 {
		d /= 2
	}
	return d
}

// ParseSLA reads "screen_request=4h,assignment=90m" over the defaults.
func ParseSLA(spec string, base SLA) (SLA, error) {
	out := SLA{}
	for k, v := range base {
		out[k] = v
	}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		kind, dur, ok := strings.Cut(part, "=")
		d, err := time.ParseDuration(strings.TrimSpace(dur))
		if !ok || err != nil || d < 0 {
			return nil, fmt.Errorf("SLA %q: want kind=duration, e.g. screen_request=4h", part)
		}
		out[strings.TrimSpace(kind)] = d
	}
	return out, nil
}

// warnShare is when the before-breach notice goes out: at four fifths of
// the allowed time.
const warnShare = 0.8
