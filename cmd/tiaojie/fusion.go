package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"log/slog"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/inbox"
	"github.com/tiaojie/tiaojie/domain/jointmeeting"
	"github.com/tiaojie/tiaojie/domain/specialpop"
	"github.com/tiaojie/tiaojie/domain/warning"
	"github.com/tiaojie/tiaojie/domain/workorder"
	"github.com/tiaojie/tiaojie/infra/mysql"
)

// fusionOrgs answers the police–justice fusion areas' organisation
// questions from accounts.
type fusionOrgs struct{ acc *account.Service }

func (o fusionOrgs) Org(ctx context.Context, id int64) (specialpop.Org, error) {
	org, err := o.acc.Orgs.Org(ctx, id)
	if err != nil {
		return specialpop.Org{}, err
	}
	return specialpop.Org{ID: org.ID, ParentID: org.ParentID, Kind: string(org.Kind), Path: org.Path}, nil
}

func (o fusionOrgs) OrgOfUser(ctx context.Context, userID int64) (int64, error) {
	u, err := o.acc.Users.User(ctx, userID)
	if err != nil {
		return 0, err
	}
	if u.Disabled || u.OrgID == 0 || u.Has(account.RoleCitizen) {
		return 0, domain.Errorf(domain.KindNotFound, "user.not_found", "No such staff member.")
	}
	return u.OrgID, nil
}

// buildFusion wires the special population register and the joint
// meetings; the meetings follow their action items' work orders.
func (a *application) buildFusion(acc *account.Service, orders *workorder.Service, warn *warning.Service, box *inbox.Service,
	audit domain.Auditor, secret []byte) (*specialpop.Service, *jointmeeting.Service) {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("special-person-id-number"))
	orgs := fusionOrgs{acc}
	register := &specialpop.Service{Tx: a.db, Store: mysql.NewSpecialPopStore(a.db), Orgs: orgs, Orders: orders, Warnings: warn, Audit: audit,
		Clock: systemClock, IDKey: mac.Sum(nil), Loc: a.cfg.HTTP.Location}
	store := mysql.NewMeetingStore(a.db)
	meetings := &jointmeeting.Service{Tx: a.db, Store: store, Sources: store, Register: register, Orgs: orgs, Orders: orders, Inbox: box,
		Audit: audit, Clock: systemClock, Loc: a.cfg.HTTP.Location}
	if orders.Followers == nil {
		orders.Followers = map[string]workorder.Follower{}
	}
	orders.Followers[jointmeeting.ActionResource] = meetings
	return register, meetings
}

// runFusion checks the contact plans every interval and sends the weekly
// liaison digests (once per area and week) until ctx ends.
func runFusion(ctx context.Context, register *specialpop.Service, meetings *jointmeeting.Service, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := register.CheckContacts(ctx); err != nil && ctx.Err() == nil {
			log.Warn("contact plan check failed; will retry", "err", err)
		} else if n > 0 {
			log.Info("missed contact plans raised", "people", n)
		}
		if areas, err := register.Store.Areas(ctx); err == nil {
			if _, err := meetings.SendDigests(ctx, areas); err != nil && ctx.Err() == nil {
				log.Warn("liaison digests failed; will retry", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
