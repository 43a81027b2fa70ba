package detention_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/detention"
)

// The organisation tree of the tests:
//
//	1 district ─┬─ 2 detention centre
//	            ├─ 3 station (home of the detainees)
//	            ├─ 4 detention centre (another one)
//	            └─ 5 station (another one)
//	6 court enforcement bureau, 7 justice bureau, 8 women's federation (partners)
const (
	district, centre, station, otherCentre, otherStation, court, justice, womens = 1, 2, 3, 4, 5, 6, 7, 8
)

var (
	ctx = context.Background()
	t0  = time.Date(2024, 5, 6, 9, 0, 0, 0, time.UTC)

	staff        = domain.Actor{UserID: 10, Roles: []string{"detention_staff"}, OrgID: centre}
	otherStaff   = domain.Actor{UserID: 11, Roles: []string{"detention_staff"}, OrgID: otherCentre}
	supervisor   = domain.Actor{UserID: 12, Roles: []string{"supervisor"}, OrgID: district}
	officer      = domain.Actor{UserID: 13, Roles: []string{"police"}, OrgID: station}
	otherOfficer = domain.Actor{UserID: 14, Roles: []string{"police"}, OrgID: otherStation}
	courtClerk   = domain.Actor{UserID: 15, Roles: []string{"partner"}, OrgID: court}
	justiceClerk = domain.Actor{UserID: 16, Roles: []string{"partner"}, OrgID: justice}
	womensClerk  = domain.Actor{UserID: 17, Roles: []string{"partner"}, OrgID: womens}
	citizen      = domain.Actor{UserID: 100, Roles: []string{"citizen"}}
)

type fakeOrgs map[int64]detention.Org

func newOrgs() fakeOrgs {
	return fakeOrgs{
		district:     {ID: district, Kind: "district", Name: "分局", Path: "/1/"},
		centre:       {ID: centre, ParentID: district, Kind: detention.OrgKindCentre, Name: "拘留所", Path: "/1/2/"},
		station:      {ID: station, ParentID: district, Kind: detention.OrgKindStation, Name: "城东派出所", Path: "/1/3/"},
		otherCentre:  {ID: otherCentre, ParentID: district, Kind: detention.OrgKindCentre, Name: "另一拘留所", Path: "/1/4/"},
		otherStation: {ID: otherStation, ParentID: district, Kind: detention.OrgKindStation, Name: "城西派出所", Path: "/1/5/"},
		court:        {ID: court, Kind: "partner", Name: "法院执行局", Path: "/6/"},
		justice:      {ID: justice, Kind: "partner", Name: "司法局", Path: "/7/"},
		womens:       {ID: womens, Kind: "partner", Name: "妇联", Path: "/8/"},
	}
}

func (o fakeOrgs) Org(_ context.Context, id int64) (detention.Org, error) {
	if org, ok := o[id]; ok {
		return org, nil
	}
	return detention.Org{}, domain.Errorf(domain.KindNotFound, "org.not_found", "No such organisation.")
}

func (o fakeOrgs) OrgsOfKind(_ context.Context, kind string) ([]detention.Org, error) {
	var out []detention.Org
	for _, org := range o {
		if org.Kind == kind {
			out = append(out, org)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

type order struct {
	Kind, Title, ResourceType, DedupeKey string
	UnitID, ResourceID                   int64
	Priority                             int
}

// world is the in-memory state every fake shares; the fake transaction
// copies it and puts the copy back only when fn succeeds, like a rollback.
type world struct {
	detainees  map[int64]detention.Detainee
	family     []detention.FamilyLink
	behaviours []detention.BehaviourRecord
	labels     []detention.LabelChange
	followUps  map[int64]detention.FollowUp
	visits     []detention.FollowUpVisit
	joints     map[int64]detention.JointMediation
	messages   []detention.JointMessage
	orders     []order
	settled    []string // work-order lifecycle causes, "visit.decided@7"
	cancelled  []int64  // detainees whose bookings were cancelled
	audit      []domain.AuditEntry
	nextID     int64
}

func (w world) clone() world {
	c := w
	c.detainees = maps(w.detainees)
	c.followUps = maps(w.followUps)
	c.joints = map[int64]detention.JointMediation{}
	for k, v := range w.joints {
		v.Partners = slices.Clone(v.Partners)
		c.joints[k] = v
	}
	c.family, c.behaviours, c.labels = slices.Clone(w.family), slices.Clone(w.behaviours), slices.Clone(w.labels)
	c.visits, c.messages, c.orders = slices.Clone(w.visits), slices.Clone(w.messages), slices.Clone(w.orders)
	c.cancelled, c.audit, c.settled = slices.Clone(w.cancelled), slices.Clone(w.audit), slices.Clone(w.settled)
	return c
}

func maps[V any](m map[int64]V) map[int64]V {
	out := make(map[int64]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

type fake struct {
	mu  sync.Mutex
	w   world
	tx  *world // the copy a running transaction works on
	now time.Time

	orgs        fakeOrgs
	citizens    map[string]int64 // phone → user
	requests    map[int64]int64  // request → detainee
	attachments map[int64]int64  // attachment → request
}

func (f *fake) cur() *world {
	if f.tx != nil {
		return f.tx
	}
	return &f.w
}

func (f *fake) id() int64 { f.cur().nextID++; return f.cur().nextID }

// WithTx implements domain.TxRunner (one transaction at a time; tests run
// on one goroutine).
func (f *fake) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if f.tx != nil {
		return fn(ctx)
	}
	c := f.w.clone()
	f.tx = &c
	err := fn(ctx)
	if err == nil {
		f.w = *f.tx
	}
	f.tx = nil
	return err
}

func notFound() error { return domain.Errorf(domain.KindNotFound, "not_found", "Not found.") }

// ProfileStore.
func (f *fake) Detainee(_ context.Context, id int64) (*detention.Detainee, error) {
	d, ok := f.cur().detainees[id]
	if !ok {
		return nil, notFound()
	}
	return &d, nil
}
func (f *fake) IsFamily(_ context.Context, detaineeID, userID int64) (bool, error) {
	for _, l := range f.cur().family {
		if l.DetaineeID == detaineeID && l.UserID == userID {
			return true, nil
		}
	}
	return false, nil
}
func (f *fake) CreateDetainee(_ context.Context, d *detention.Detainee) error {
	d.ID = f.id()
	f.cur().detainees[d.ID] = *d
	return nil
}
func (f *fake) UpdateDetainee(_ context.Context, d *detention.Detainee) (bool, error) {
	if f.cur().detainees[d.ID].Version != d.Version {
		return false, nil
	}
	d.Version++
	f.cur().detainees[d.ID] = *d
	return true, nil
}
func (f *fake) DetainedByIDHash(_ context.Context, centreID int64, hash string) (*detention.Detainee, bool, error) {
	for _, d := range f.cur().detainees {
		if d.CentreID == centreID && d.IDNumberHash == hash && d.Status == detention.Detained {
			return &d, true, nil
		}
	}
	return nil, false, nil
}
func (f *fake) Detainees(_ context.Context, flt detention.DetaineeFilter) ([]detention.Detainee, error) {
	var out []detention.Detainee
	for _, d := range f.cur().detainees {
		if slices.Contains(flt.Centres, d.CentreID) && (flt.Label == "" || d.Label == flt.Label) && (flt.Status == "" || d.Status == flt.Status) &&
			(flt.BeforeID == 0 || d.ID < flt.BeforeID) {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	if len(out) > flt.Limit {
		out = out[:flt.Limit]
	}
	return out, nil
}
func (f *fake) AddFamily(_ context.Context, l *detention.FamilyLink) (bool, error) {
	if ok, _ := f.IsFamily(context.Background(), l.DetaineeID, l.UserID); ok {
		return false, nil
	}
	f.cur().family = append(f.cur().family, *l)
	return true, nil
}
func (f *fake) Family(_ context.Context, id int64) ([]detention.FamilyLink, error) {
	return filter(f.cur().family, func(l detention.FamilyLink) bool { return l.DetaineeID == id }), nil
}
func (f *fake) FamilyLinksOf(_ context.Context, userID int64) ([]detention.FamilyLink, error) {
	return filter(f.cur().family, func(l detention.FamilyLink) bool { return l.UserID == userID }), nil
}
func (f *fake) AddBehaviour(_ context.Context, b *detention.BehaviourRecord) error {
	b.ID = f.id()
	f.cur().behaviours = append(f.cur().behaviours, *b)
	return nil
}
func (f *fake) Behaviours(_ context.Context, id int64) ([]detention.BehaviourRecord, error) {
	return filter(f.cur().behaviours, func(b detention.BehaviourRecord) bool { return b.DetaineeID == id }), nil
}
func (f *fake) AddLabelChange(_ context.Context, c *detention.LabelChange) error {
	c.ID = f.id()
	f.cur().labels = append(f.cur().labels, *c)
	return nil
}
func (f *fake) LabelHistory(_ context.Context, id int64) ([]detention.LabelChange, error) {
	return filter(f.cur().labels, func(c detention.LabelChange) bool { return c.DetaineeID == id }), nil
}

// FollowUpStore.
func (f *fake) CreateFollowUp(_ context.Context, fu *detention.FollowUp) error {
	for _, other := range f.cur().followUps {
		if other.DetaineeID == fu.DetaineeID {
			return domain.Errorf(domain.KindConflict, "duplicate", "It already exists.")
		}
	}
	fu.ID = f.id()
	f.cur().followUps[fu.ID] = *fu
	return nil
}
func (f *fake) FollowUp(_ context.Context, id int64) (*detention.FollowUp, error) {
	fu, ok := f.cur().followUps[id]
	if !ok {
		return nil, notFound()
	}
	return &fu, nil
}
func (f *fake) FollowUpOf(_ context.Context, detaineeID int64) (*detention.FollowUp, bool, error) {
	for _, fu := range f.cur().followUps {
		if fu.DetaineeID == detaineeID {
			return &fu, true, nil
		}
	}
	return nil, false, nil
}
func (f *fake) UpdateFollowUp(_ context.Context, fu *detention.FollowUp) (bool, error) {
	if f.cur().followUps[fu.ID].Version != fu.Version {
		return false, nil
	}
	fu.Version++
	f.cur().followUps[fu.ID] = *fu
	return true, nil
}
func (f *fake) AddFollowUpVisit(_ context.Context, v *detention.FollowUpVisit) error {
	v.ID = f.id()
	f.cur().visits = append(f.cur().visits, *v)
	return nil
}
func (f *fake) FollowUpVisits(_ context.Context, id int64) ([]detention.FollowUpVisit, error) {
	return filter(f.cur().visits, func(v detention.FollowUpVisit) bool { return v.FollowUpID == id }), nil
}

func (f *fake) FollowUps(_ context.Context, flt detention.FollowUpFilter) ([]detention.FollowUp, error) {
	var out []detention.FollowUp
	for _, fu := range f.cur().followUps {
		if (slices.Contains(flt.Centres, fu.CentreID) || slices.Contains(flt.Stations, fu.StationID)) && (flt.State == "" || fu.State == flt.State) &&
			(flt.BeforeID == 0 || fu.ID < flt.BeforeID) {
			out = append(out, fu)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	if len(out) > flt.Limit {
		out = out[:flt.Limit]
	}
	return out, nil
}

// JointStore.
func (f *fake) CreateJoint(_ context.Context, j *detention.JointMediation) error {
	j.ID = f.id()
	f.cur().joints[j.ID] = *j
	return nil
}
func (f *fake) Joint(_ context.Context, id int64) (*detention.JointMediation, error) {
	j, ok := f.cur().joints[id]
	if !ok {
		return nil, notFound()
	}
	return &j, nil
}
func (f *fake) UpdateJoint(_ context.Context, j *detention.JointMediation) (bool, error) {
	if f.cur().joints[j.ID].Version != j.Version {
		return false, nil
	}
	j.Version++
	f.cur().joints[j.ID] = *j
	return true, nil
}
func (f *fake) JointsOf(_ context.Context, detaineeID int64) ([]detention.JointMediation, error) {
	var out []detention.JointMediation
	for _, j := range f.cur().joints {
		if j.DetaineeID == detaineeID {
			out = append(out, j)
		}
	}
	return out, nil
}
func (f *fake) Joints(_ context.Context, flt detention.JointFilter) ([]detention.JointMediation, error) {
	var out []detention.JointMediation
	for _, j := range f.cur().joints {
		invited := slices.ContainsFunc(j.Partners, func(u int64) bool { return slices.Contains(flt.Units, u) })
		if (slices.Contains(flt.Centres, j.CentreID) || invited) && (flt.State == "" || j.State == flt.State) &&
			(flt.DetaineeID == 0 || j.DetaineeID == flt.DetaineeID) && (flt.BeforeID == 0 || j.ID < flt.BeforeID) {
			out = append(out, j)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	if len(out) > flt.Limit {
		out = out[:flt.Limit]
	}
	return out, nil
}
func (f *fake) AddJointMessage(_ context.Context, m *detention.JointMessage) error {
	m.ID = f.id()
	f.cur().messages = append(f.cur().messages, *m)
	return nil
}
func (f *fake) JointMessages(_ context.Context, id, before int64, limit int) ([]detention.JointMessage, error) {
	out := filter(f.cur().messages, func(m detention.JointMessage) bool { return m.MediationID == id && (before == 0 || m.ID < before) })
	slices.Reverse(out)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// The other ports.
func (f *fake) SettleOrders(_ context.Context, _ domain.Actor, cause string, resourceID int64) error {
	f.cur().settled = append(f.cur().settled, fmt.Sprintf("%s@%d", cause, resourceID))
	return nil
}

func (f *fake) CreateOrder(_ context.Context, kind string, unitID, _ int64, priority int, title, resourceType string, resourceID int64, key string) error {
	for _, o := range f.cur().orders {
		if o.DedupeKey == key {
			return nil
		}
	}
	f.cur().orders = append(f.cur().orders, order{Kind: kind, UnitID: unitID, Priority: priority, Title: title, ResourceType: resourceType,
		ResourceID: resourceID, DedupeKey: key})
	return nil
}
func (f *fake) CancelFutureFor(_ context.Context, detaineeID int64, _ string) error {
	f.cur().cancelled = append(f.cur().cancelled, detaineeID)
	return nil
}
func (f *fake) Audit(_ context.Context, entries ...domain.AuditEntry) error {
	f.cur().audit = append(f.cur().audit, entries...)
	return nil
}
func (f *fake) CitizenByPhone(_ context.Context, phone string) (int64, bool, error) {
	id, ok := f.citizens[phone]
	return id, ok, nil
}
func (f *fake) IsCitizen(_ context.Context, id int64) (bool, error) {
	for _, c := range f.citizens {
		if c == id {
			return true, nil
		}
	}
	return false, nil
}
func (f *fake) DetaineeOfRequest(_ context.Context, id int64) (int64, error) {
	d, ok := f.requests[id]
	if !ok {
		return 0, notFound()
	}
	return d, nil
}
func (f *fake) RequestOfAttachment(_ context.Context, id int64) (int64, error) {
	r, ok := f.attachments[id]
	if !ok {
		return 0, notFound()
	}
	return r, nil
}

func filter[T any](all []T, keep func(T) bool) []T {
	var out []T
	for _, v := range all {
		if keep(v) {
			out = append(out, v)
		}
	}
	return out
}

// newCustody is the service over fresh fakes with the default factors.
func newCustody(t *testing.T) (*detention.Custody, *fake) {
	t.Helper()
	f := &fake{now: t0, orgs: newOrgs(), citizens: map[string]int64{"13800138000": 100, "13900139000": 101},
		requests: map[int64]int64{}, attachments: map[int64]int64{}}
	f.w = world{detainees: map[int64]detention.Detainee{}, followUps: map[int64]detention.FollowUp{}, joints: map[int64]detention.JointMediation{}}
	s := &detention.Custody{Tx: f, Detainees: f, FollowUps: f, Joints: f, Orgs: f.orgs, Orders: f, Bookings: f, People: f, Requests: f,
		Attachments: f, Audit: f, Clock: domain.ClockFunc(func() time.Time { return f.now }), IDKey: []byte("test key"),
		Risk: detention.DefaultRiskFactors()}
	return s, f
}

// intake is a blue detainee unless changed.
func intake(change ...func(*detention.NewIntake)) detention.NewIntake {
	n := detention.NewIntake{HomeStationID: station, Name: "张三", IDNumber: "330281199001011234", CaseCause: "违反治安管理（噪音扰民）",
		Punishment: "行政拘留五日", PunishmentFrom: t0.AddDate(0, 0, -1), PunishmentTo: t0.AddDate(0, 0, 4)}
	for _, c := range change {
		c(&n)
	}
	return n
}

func actions(entries []domain.AuditEntry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, fmt.Sprintf("%s %s:%d", e.Action, e.ResourceType, e.ResourceID))
	}
	return out
}

func wantKind(t *testing.T, err error, kind domain.Kind, code string) {
	t.Helper()
	e, ok := domain.AsError(err)
	if !ok || e.Kind != kind || (code != "" && e.Code != code) {
		t.Fatalf("error %v, want %s %s", err, kind, code)
	}
}

// must and must2 unwrap a call that should succeed; a failure panics with
// the error, which fails the test at the calling line.
func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("unexpected error: %v", err))
	}
	return v
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(fmt.Sprintf("unexpected error: %v", err))
	}
	return a, b
}
