package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	dt "github.com/tiaojie/tiaojie/domain/detention"
)

// visitStub answers the visit handlers with canned values, recording what
// they passed; the rules themselves are tested in domain/detention and on
// the database in infra/mysql.
type visitStub struct {
	VisitService
	gotBooking dt.NewBooking
	gotKey     string
}

var visitStubTime = time.Date(2026, 8, 5, 6, 0, 0, 0, time.UTC)

func (v *visitStub) Book(_ context.Context, _ domain.Actor, n dt.NewBooking, key string) (*dt.VisitBooking, bool, error) {
	v.gotBooking, v.gotKey = n, key
	return &dt.VisitBooking{ID: 9, CentreID: 10, DetaineeID: n.DetaineeID, SlotID: n.SlotID, BookerID: 101, Status: dt.BookingPending,
		Mode: dt.VisitRemote, StartsAt: visitStubTime, EndsAt: visitStubTime.Add(time.Hour),
		Visitors: []dt.Visitor{{Name: "李四", IDNumber: "1101**********1234", Phone: "13800138000"}}}, key != "replay", nil
}

func (v *visitStub) Approve(_ context.Context, _ domain.Actor, id int64) (*dt.VisitBooking, error) {
	if id == 1 {
		return nil, domain.Errorf(domain.KindFailedPrecondition, "visit_booking.illegal_transition", "A booking that is approved cannot be approved.")
	}
	return &dt.VisitBooking{ID: id, Status: dt.BookingApproved, Mode: dt.VisitRemote, RoomID: "room-1"}, nil
}

func (v *visitStub) Booking(context.Context, domain.Actor, int64) (*dt.BookingView, error) {
	return nil, domain.Errorf(domain.KindNotFound, "visit_booking.not_found", "No such visit booking.")
}

func (v *visitStub) VisitSlots(_ context.Context, centreID int64, from, to string) ([]dt.VisitSlot, error) {
	return []dt.VisitSlot{{ID: 3, CentreID: centreID, Mode: dt.VisitInPerson, StartsAt: visitStubTime, EndsAt: visitStubTime.Add(time.Hour),
		Capacity: 4, Booked: 3, ExpiredHolds: 1}}, nil
}

// visitServer mounts the visit handlers behind a middleware that sets the
// caller, as the guard does once a token is verified.
func visitServer(t *testing.T, stub *visitStub) testServer {
	t.Helper()
	s := newTestServer(t, func(d *Deps) { d.Config.Location = time.FixedZone("CST", 8*3600) })
	s.visits = stub
	as := func(a domain.Actor) fiber.Handler {
		return func(c *fiber.Ctx) error { setActor(c, a); return c.Next() }
	}
	family := as(domain.Actor{UserID: 101, Roles: []string{citizen}})
	staff := as(domain.Actor{UserID: 500, Roles: []string{"detention_staff"}, OrgID: 10})
	s.app.Post("/t/visit-bookings", family, s.createVisitBooking)
	s.app.Get("/t/visit-bookings/:id", family, s.getVisitBooking)
	s.app.Post("/t/visit-bookings/:id/approve", staff, s.actOnVisitBooking("approve"))
	s.app.Get("/t/detention-centers/:id/visit-slots", family, s.listVisitSlots)
	return s
}

func TestVisitHandlers(t *testing.T) {
	stub := &visitStub{}
	s := visitServer(t, stub)
	post := func(path, key, body string) answer {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		return s.do(t, req)
	}
	body := `{"detainee_id":1,"slot_id":3,"relationship":"配偶","visitors":[{"name":"李四","id_number":"110105198001011234","phone":"13800138000"}]}`

	tests := []struct {
		name   string
		run    func() answer
		status int
		check  func(t *testing.T, a answer)
	}{
		{"a booking answers 201 pending with phones masked", func() answer { return post("/t/visit-bookings", "k1", body) }, http.StatusCreated,
			func(t *testing.T, a answer) {
				v := a.body["visitors"].([]any)[0].(map[string]any)
				if a.body["status"] != "pending" || a.body["id"] != float64(9) || v["phone"] != "138****8000" || v["id_number"] != "1101**********1234" {
					t.Fatalf("answer %s", a.raw)
				}
				if stub.gotKey != "k1" || stub.gotBooking.Visitors[0].IDNumber != "110105198001011234" || a.body["room_id"] != nil {
					t.Fatalf("passed %+v key %q", stub.gotBooking, stub.gotKey)
				}
				if a.body["starts_at"] != "2026-08-05T14:00:00+08:00" {
					t.Fatalf("starts_at %v, want local time", a.body["starts_at"])
				}
			}},
		{"a replayed booking says so", func() answer { return post("/t/visit-bookings", "replay", body) }, http.StatusCreated,
			func(t *testing.T, a answer) {
				if a.header.Get("Idempotent-Replayed") != "true" {
					t.Fatal("no Idempotent-Replayed header")
				}
			}},
		{"an unknown field is refused", func() answer { return post("/t/visit-bookings", "", `{"status":"approved"}`) }, http.StatusUnprocessableEntity, nil},
		{"an illegal transition is 409 with its code", func() answer { return post("/t/visit-bookings/1/approve", "", "") }, http.StatusConflict,
			func(t *testing.T, a answer) {
				if a.body["code"] != "visit_booking.illegal_transition" {
					t.Fatalf("answer %s", a.raw)
				}
			}},
		{"an approved remote booking carries its room", func() answer { return post("/t/visit-bookings/2/approve", "", "") }, http.StatusOK,
			func(t *testing.T, a answer) {
				if a.body["room_id"] != "room-1" || a.body["status"] != "approved" {
					t.Fatalf("answer %s", a.raw)
				}
			}},
		{"another family's booking is 404", func() answer {
			return s.do(t, httptest.NewRequest(http.MethodGet, "/t/visit-bookings/5", nil))
		}, http.StatusNotFound, nil},
		{"slots answer seats remaining", func() answer {
			return s.do(t, httptest.NewRequest(http.MethodGet, "/t/detention-centers/10/visit-slots?from=2026-08-05&to=2026-08-05", nil))
		}, http.StatusOK, func(t *testing.T, a answer) {
			slot := a.body["items"].([]any)[0].(map[string]any)
			if slot["remaining"] != float64(2) || slot["capacity"] != float64(4) || slot["mode"] != "in_person" || slot["id"] != float64(3) {
				t.Fatalf("slot %v", slot)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.run()
			if a.status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.status, tt.status, a.raw)
			}
			if tt.check != nil {
				tt.check(t, a)
			}
		})
	}
}
