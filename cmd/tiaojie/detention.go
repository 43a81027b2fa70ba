package main

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/detention"
	"github.com/tiaojie/tiaojie/domain/inbox"
	"github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/domain/workorder"
	"github.com/tiaojie/tiaojie/infra/mysql"
)

// detentionOrders turns the detention area's work orders into dispatch's.
type detentionOrders struct{ s *workorder.Service }

func (d detentionOrders) CreateOrder(ctx context.Context, kind string, unitID, personID int64, priority int, title, resourceType string,
	resourceID int64, dedupeKey string) error {
	return d.s.Create(ctx, workorder.NewOrder{Kind: kind, UnitID: unitID, PersonID: personID, Priority: priority, Title: title,
		ResourceType: resourceType, ResourceID: resourceID, DedupeKey: dedupeKey})
}

// SettleOrders ends the subject's orders its cause lists (workorder.Lifecycle).
func (d detentionOrders) SettleOrders(ctx context.Context, a domain.Actor, cause string, resourceID int64) error {
	_, err := d.s.Settle(ctx, a, cause, resourceID)
	return err
}

// detentionOrgs answers the detention area's organisation questions from
// accounts: the tree, who works a centre, citizens by phone.
type detentionOrgs struct{ acc *account.Service }

func (o detentionOrgs) Org(ctx context.Context, id int64) (detention.Org, error) {
	org, err := o.acc.Orgs.Org(ctx, id)
	if err != nil {
		return detention.Org{}, err
	}
	return detention.Org{ID: org.ID, ParentID: org.ParentID, Kind: string(org.Kind), Name: org.Name, Path: org.Path}, nil
}

func (o detentionOrgs) OrgsOfKind(ctx context.Context, kind string) ([]detention.Org, error) {
	orgs, err := o.acc.Orgs.Orgs(ctx, account.OrgKind(kind), "")
	out := make([]detention.Org, len(orgs))
	for i, org := range orgs {
		out[i] = detention.Org{ID: org.ID, ParentID: org.ParentID, Kind: string(org.Kind), Name: org.Name, Path: org.Path}
	}
	return out, err
}

func (o detentionOrgs) IsCentre(ctx context.Context, id int64) (bool, error) {
	org, err := o.acc.Orgs.Org(ctx, id)
	if domain.IsKind(err, domain.KindNotFound) {
		return false, nil
	}
	return err == nil && org.Kind == account.OrgDetentionCenter, err
}

// StaffOf: the centre's own staff, or supervisors and admins above it.
func (o detentionOrgs) StaffOf(ctx context.Context, a domain.Actor, centreID int64) (bool, error) {
	centres, err := o.CentresOf(ctx, a)
	return slices.Contains(centres, centreID), err
}

func (o detentionOrgs) CentresOf(ctx context.Context, a domain.Actor) ([]int64, error) {
	if a.OrgID == 0 || !a.Has(account.RoleDetentionStaff, account.RoleSupervisor, account.RoleAdmin) {
		return nil, nil
	}
	org, err := o.acc.Orgs.Org(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	centres, err := o.acc.Orgs.Orgs(ctx, account.OrgDetentionCenter, org.Path)
	out := make([]int64, len(centres))
	for i, c := range centres {
		out[i] = c.ID
	}
	return out, err
}

func (o detentionOrgs) CitizenByPhone(ctx context.Context, phone string) (int64, bool, error) {
	u, found, err := o.acc.Users.UserByPhone(ctx, phone)
	if err != nil || !found || !u.Has(account.RoleCitizen) || u.Disabled {
		return 0, false, err
	}
	return u.ID, true, nil
}

// CitizenNames names citizen accounts (family members on a detainee's
// profile); staff and unknown IDs are left out.
func (o detentionOrgs) CitizenNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	for _, id := range ids {
		u, err := o.acc.Users.User(ctx, id)
		if domain.IsKind(err, domain.KindNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if u.Has(account.RoleCitizen) {
			out[id] = u.Name
		}
	}
	return out, nil
}

func (o detentionOrgs) IsCitizen(ctx context.Context, userID int64) (bool, error) {
	u, err := o.acc.Users.User(ctx, userID)
	if domain.IsKind(err, domain.KindNotFound) {
		return false, nil
	}
	return err == nil && u.Has(account.RoleCitizen) && !u.Disabled, err
}

// detentionRequests reads requests for the detention area.
type detentionRequests struct{ store *mysql.MediationStore }

func (r detentionRequests) DetaineeOfRequest(ctx context.Context, requestID int64) (int64, error) {
	req, err := r.store.Request(ctx, requestID)
	if err != nil {
		return 0, err
	}
	return req.Filing.DetaineeID, nil
}

func (r detentionRequests) RequestOfAttachment(ctx context.Context, attachmentID int64) (int64, error) {
	att, err := r.store.Attachment(ctx, attachmentID)
	if err != nil {
		return 0, err
	}
	return att.RequestID, nil
}

// visitRooms creates the video room of an approved remote visit: the family
// member waits in the lobby, the centre's staff host, and its detainee
// terminals join as the detainee.
type visitRooms struct {
	acc *account.Service
	med *mediation.Service
}

func (v visitRooms) CreateVisitRoom(ctx context.Context, bookingID int64, from, to time.Time, familyUserID, staffUnitID int64) (string, error) {
	centre, err := v.acc.Orgs.Org(ctx, staffUnitID)
	if err != nil {
		return "", err
	}
	staff, err := v.acc.Users.Users(ctx, account.UserFilter{OrgPath: centre.Path, Limit: 1000})
	if err != nil {
		return "", err
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	room := &mediation.VideoRoom{ID: "visit-" + strconv.FormatInt(bookingID, 10) + "-" + hex.EncodeToString(b), OwnerType: mediation.RoomOfVisit,
		BookingID: bookingID, NotBefore: from, NotAfter: to, CreatedAt: systemClock.Now(),
		Invites: []mediation.RoomInvite{{UserID: familyUserID, Role: mediation.RoomFamily}}}
	for _, u := range staff {
		switch {
		case u.OrgID != staffUnitID || u.Disabled:
		case u.Has(account.RoleDetentionStaff):
			room.Invites = append(room.Invites, mediation.RoomInvite{UserID: u.ID, Role: mediation.RoomHost})
		case u.Has(account.RoleDetentionTerminal):
			room.Invites = append(room.Invites, mediation.RoomInvite{UserID: u.ID, Role: mediation.RoomDetaineeTerminal})
		}
	}
	return room.ID, v.med.CreateRoom(ctx, room)
}

// visitNotices puts visit notices in the family's inbox.
type visitNotices struct{ box *inbox.Service }

func (n visitNotices) Notify(ctx context.Context, userID int64, kind, title, body string, bookingID int64, dedupeKey string) error {
	return n.box.Send(ctx, inbox.Notification{UserID: userID, Kind: kind, Title: title, Body: body, ResourceType: "visit_booking",
		ResourceID: bookingID, DedupeKey: dedupeKey})
}

// NotifyLink implements detention.LinkNotices: the notice opens the visit's video room.
func (n visitNotices) NotifyLink(ctx context.Context, userID int64, kind, title, body string, bookingID int64, dedupeKey, link string) error {
	return n.box.Send(ctx, inbox.Notification{UserID: userID, Kind: kind, Title: title, Body: body, ResourceType: "visit_booking",
		ResourceID: bookingID, DedupeKey: dedupeKey, Link: link})
}

// NotifyJoint implements detention.JointNotices: the notice opens the
// family's joint mediations in the citizen app.
func (n visitNotices) NotifyJoint(ctx context.Context, userID int64, kind, title, body string, jointID int64, dedupeKey, link string) error {
	return n.box.Send(ctx, inbox.Notification{UserID: userID, Kind: kind, Title: title, Body: body, ResourceType: "joint_mediation",
		ResourceID: jointID, DedupeKey: dedupeKey, Link: link})
}

// buildDetention wires custody (intake, labels, release, follow-up, joint
// mediation) and visit booking.
func (a *application) buildDetention(acc *account.Service, med *mediation.Service, medStore *mysql.MediationStore, orders *workorder.Service,
	box *inbox.Service, audit domain.Auditor, secret []byte) (*detention.Custody, *detention.Visits) {
	store := mysql.NewDetentionStore(a.db)
	orgs := detentionOrgs{acc}
	visits := &detention.Visits{Tx: a.db, Store: mysql.NewVisitStore(a.db), Detainees: store, Centres: orgs, Orders: detentionOrders{orders},
		Rooms: visitRooms{acc, med}, Notices: visitNotices{box}, Idempotency: mysql.NewIdempotencyStore(a.db), Audit: audit, Clock: systemClock,
		Loc: a.cfg.HTTP.Location}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("detainee-id-number"))
	custody := &detention.Custody{Tx: a.db, Detainees: store, FollowUps: store, Joints: store, Orgs: orgs, Orders: detentionOrders{orders},
		Bookings: visits, People: orgs, FamilyNames: orgs, Notices: visitNotices{box}, Requests: detentionRequests{medStore}, Attachments: detentionRequests{medStore}, Audit: audit,
		Clock: systemClock, IDKey: mac.Sum(nil), Risk: detention.DefaultRiskFactors(), FollowUpDays: 7}
	visits.Feedback, custody.Feedback = mysql.NewFeedbackStore(a.db), mysql.NewFeedbackStore(a.db) // 拘调融合: families' and partners' ratings
	return custody, visits
}

// detaineeFilings lets mediation check a filing on a detainee's behalf:
// the filer must be registered family; the order also reaches the centre.
type detaineeFilings struct{ store detention.ProfileStore }

func (d detaineeFilings) CentreFor(ctx context.Context, detaineeID, filerID int64) (int64, error) {
	family, err := d.store.IsFamily(ctx, detaineeID, filerID)
	if err != nil && !domain.IsKind(err, domain.KindNotFound) {
		return 0, err
	}
	if !family {
		return 0, mediation.NotFamily()
	}
	det, err := d.store.Detainee(ctx, detaineeID)
	if err != nil {
		return 0, err
	}
	return det.CentreID, nil
}

func (d detaineeFilings) HeldAt(ctx context.Context, detaineeID int64) (int64, error) {
	det, err := d.store.Detainee(ctx, detaineeID)
	if err != nil {
		return 0, err
	}
	return det.CentreID, nil
}

// runDetentionJobs keeps visit slots generated ahead, reminds families the
// day before, and frees expired seat holds, until ctx ends.
func runDetentionJobs(ctx context.Context, v *detention.Visits, log *slog.Logger) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for i := 0; ; i++ {
		now := systemClock.Now()
		if i%60 == 0 { // hourly: idempotent, so restarts and several instances are harmless
			if _, err := v.GenerateSlots(ctx, now); err != nil && ctx.Err() == nil {
				log.Warn("visit slot generation failed", "err", err)
			}
			if _, err := v.RemindTomorrow(ctx, now); err != nil && ctx.Err() == nil {
				log.Warn("visit reminders failed", "err", err)
			}
		}
		if _, err := v.ReleaseExpiredHolds(ctx, now); err != nil && ctx.Err() == nil {
			log.Warn("releasing expired visit holds failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
