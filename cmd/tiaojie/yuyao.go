package main

import (
	"context"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/infra/mysql"
)

// wireYuyao hooks up what the 拘调融合 programme added: room invitations.
func wireYuyao(med *mediation.Service, acc *account.Service, medStore *mysql.MediationStore) {
	med.People, med.InvitationStore = roomPeople{acc}, medStore
}

// roomPeople finds and, for a phone without an account, makes the
// accounts of people invited into rooms.
type roomPeople struct{ acc *account.Service }

func toRoomPerson(u *account.User) *mediation.RoomPerson {
	return &mediation.RoomPerson{ID: u.ID, Name: u.Name, Citizen: u.Has(account.RoleCitizen), Disabled: u.Disabled}
}

func (p roomPeople) Person(ctx context.Context, id int64) (*mediation.RoomPerson, error) {
	u, err := p.acc.Users.User(ctx, id)
	if err != nil {
		return nil, err
	}
	return toRoomPerson(u), nil
}

// CitizenForPhone is the phone's citizen account, made with the name when
// there is none (the invitee signs in with an SMS code like any citizen).
func (p roomPeople) CitizenForPhone(ctx context.Context, a domain.Actor, phone, name string) (*mediation.RoomPerson, error) {
	phone, err := account.ParsePhone("phone", phone)
	if err != nil {
		return nil, err
	}
	u, found, err := p.acc.Users.UserByPhone(ctx, phone)
	if err != nil {
		return nil, err
	}
	if found {
		if !u.Has(account.RoleCitizen) || u.Disabled {
			return nil, domain.Invalid(domain.FieldError{Field: "phone", Code: domain.FieldNotAllowed, Message: "belongs to a staff account; invite it by user_id"})
		}
		return toRoomPerson(u), nil
	}
	now := systemClock.Now()
	u = &account.User{Phone: phone, Name: name, Roles: []string{account.RoleCitizen}, CreatedAt: now, UpdatedAt: now}
	if err := p.acc.Users.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	if err := p.acc.Audit.Audit(ctx, domain.AuditOf(a, now, "account.create", "user", u.ID, "room invitation")); err != nil {
		return nil, err
	}
	return toRoomPerson(u), nil
}
