package main

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/expert"
	"github.com/tiaojie/tiaojie/domain/incident"
	"github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/domain/pairing"
	"github.com/tiaojie/tiaojie/domain/warning"
	"github.com/tiaojie/tiaojie/domain/workorder"
	"github.com/tiaojie/tiaojie/infra/mysql"
)

// fusionWork is the police–justice fusion work of issue 19 parts 3–5:
// legal workers on police incidents with the compensation calculator,
// station pairing (包联) and the expert pool.
type fusionWork struct {
	incidents *incident.Service
	pairing   *pairing.Service
	experts   *expert.Service
	standards *mysql.IncidentStore
}

func (a *application) buildFusionWork(ctx context.Context, acc *account.Service, accounts *mysql.AccountStore, med *mediation.Service,
	medStore *mysql.MediationStore, orders *workorder.Service, warn *warning.Service, audit domain.Auditor) (*fusionWork, error) {
	store := mysql.NewIncidentStore(a.db)
	inc := &incident.Service{Tx: a.db, Store: store, People: incidentPeople{accounts}, Scope: acc, Requests: requestStations{medStore},
		Orders: orders, Audit: audit, Clock: systemClock}
	pair := &pairing.Service{Tx: a.db, Store: mysql.NewPairingStore(a.db), Directory: pairingDirectory{acc, accounts}, Orders: orders,
		Warnings: warn, Audit: audit, Clock: systemClock}
	exp := &expert.Service{Tx: a.db, Store: mysql.NewExpertStore(a.db), Accounts: expertAccounts{accounts}, Cases: expertCases{inc, med},
		Orders: orders, Audit: audit, Clock: systemClock}
	// The sample Chongqing and Jiangsu tables (marked sample) for this year.
	now := systemClock.Now()
	if err := store.SeedStandards(ctx, incident.SampleStandards(now.In(a.cfg.HTTP.Location).Year()), now); err != nil {
		return nil, err
	}
	inc.Guests = incidentGuests{exp}
	med.Guests = requestGuests{exp}
	return &fusionWork{incidents: inc, pairing: pair, experts: exp, standards: store}, nil
}

// incidentGuests lets an expert who accepted an invitation to an incident
// read it.
type incidentGuests struct{ experts *expert.Service }

func (g incidentGuests) Guest(ctx context.Context, userID, incidentID int64) (bool, error) {
	return g.experts.Guest(ctx, userID, "incident", incidentID)
}

// requestGuests lets an expert who accepted an invitation to a mediation
// request read it.
type requestGuests struct{ experts *expert.Service }

func (g requestGuests) Guest(ctx context.Context, userID, requestID int64) (bool, error) {
	return g.experts.Guest(ctx, userID, "request", requestID)
}

type incidentPeople struct{ users *mysql.AccountStore }

func (p incidentPeople) Person(ctx context.Context, id int64) (*incident.Person, error) {
	u, err := p.users.User(ctx, id)
	if err != nil {
		return nil, err
	}
	return &incident.Person{ID: u.ID, Name: u.Name, OrgID: u.OrgID, Roles: u.Roles, StationIDs: u.StationIDs, Disabled: u.Disabled}, nil
}

type requestStations struct{ store *mysql.MediationStore }

func (r requestStations) StationOfRequest(ctx context.Context, id int64) (int64, error) {
	req, err := r.store.Request(ctx, id)
	if err != nil {
		return 0, err
	}
	return req.Filing.StationID, nil
}

type pairingDirectory struct {
	*account.Service
	users *mysql.AccountStore
}

func (d pairingDirectory) Stations(ctx context.Context) ([]pairing.Station, error) {
	orgs, err := d.Service.Stations(ctx)
	out := make([]pairing.Station, len(orgs))
	for i, o := range orgs {
		out[i] = pairing.Station{ID: o.ID, Name: o.Name}
	}
	return out, err
}

func (d pairingDirectory) Cadre(ctx context.Context, userID int64) (string, int64, error) {
	u, err := d.users.User(ctx, userID)
	if err != nil {
		return "", 0, err
	}
	if u.Disabled || !(slices.Contains(u.Roles, account.RoleSupervisor) || slices.Contains(u.Roles, account.RoleAdmin)) {
		return "", 0, domain.Errorf(domain.KindNotFound, "user.not_found", "No such cadre.")
	}
	return u.Name, u.OrgID, nil
}

type expertAccounts struct{ users *mysql.AccountStore }

func (e expertAccounts) Account(ctx context.Context, id int64) (*expert.Account, error) {
	u, err := e.users.User(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.Has(account.RoleCitizen) {
		return nil, domain.Errorf(domain.KindNotFound, "user.not_found", "No such account.")
	}
	return &expert.Account{ID: u.ID, OrgID: u.OrgID, Name: u.Name, Disabled: u.Disabled}, nil
}

// expertCases lets staff invite an expert only to a case they can see: an
// incident of theirs, a mediation request they may read.
type expertCases struct {
	incidents *incident.Service
	med       *mediation.Service
}

func (e expertCases) CanWork(ctx context.Context, a domain.Actor, resourceType string, id int64) error {
	var err error
	switch resourceType {
	case "incident":
		// Those working the incident (a guest expert only reads it).
		err = e.incidents.MayWork(ctx, a, id)
	case "request":
		if a.Has(account.RoleCitizen) {
			return domain.Errorf(domain.KindNotFound, "request.not_found", "No such request.")
		}
		// Those working the request (a guest expert only reads it).
		if err = e.med.MayWork(ctx, a, id); err == nil {
			_, err = e.med.Get(ctx, a, id)
		}
	default:
		err = domain.Errorf(domain.KindNotFound, "resource.not_found", "No such case.")
	}
	return err
}

// runPairingJobs raises the overdue-visit warnings of station pairings at
// start and then hourly.
func runPairingJobs(ctx context.Context, p *pairing.Service, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := p.CheckOverdue(ctx); err != nil && ctx.Err() == nil {
			log.Warn("pairing overdue check failed; will retry", "err", err)
		} else if n > 0 {
			log.Info("pairing visits overdue: warnings raised", "warnings", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
