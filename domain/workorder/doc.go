// Package workorder is dispatch (工单): the orders every request, booking,
// joint-mediation push and warning becomes, their life from a unit's queue
// to a staff member's hands, SLA deadlines counted in working hours, and
// escalation to the parent organisation when a deadline passes.
//
// Orders are written with their outbox row in the transaction of the change
// that causes them; the relay (infra) moves outbox rows to Redis Streams
// after commit and the staff-stream hub (push) delivers them. MySQL is the
// source of truth: a redelivered or re-sent order is recognised by its state
// here, so it never has a second effect.
package workorder
