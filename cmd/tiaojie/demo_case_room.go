package main

import (
	"context"
	"fmt"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

// DemoOtherPartyPhone is the other party of the demo's concluded case (the
// property company's manager), invited into its video room: a citizen
// account is made for the phone, as for any invitee without one.
const DemoOtherPartyPhone = "13800138002"

// seedCaseRoom opens a video room on the demo's concluded case while it is
// being mediated (lawyer4 hosts it on the case's dated clock) and invites
// the other party by name and phone, so that the demo shows a room
// invitation: the case timeline has room_opened and room_invited, the
// room's invitation list has the manager, whose inbox has the link. The
// room ended with the case.
func seedCaseRoom(ctx context.Context, med *mediation.Service, lead domain.Actor, requestID int64) error {
	// One moment of the case's clock for both steps (it moves on at every
	// reading).
	at := med.Clock.Now()
	m := *med
	m.Clock = domain.ClockFunc(func() time.Time { return at })
	room, err := m.OpenRoom(ctx, lead, requestID, at, at.Add(2*time.Hour))
	if err != nil {
		return fmt.Errorf("demo case room: %w", err)
	}
	if _, err := m.Invite(ctx, lead, room.ID, mediation.Invitee{Kind: mediation.InviteOtherParty, Name: "王经理（物业公司）",
		Phone: DemoOtherPartyPhone}); err != nil {
		return fmt.Errorf("demo case room invitation: %w", err)
	}
	return nil
}
