package mysql

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

// MediationStore keeps requests, their timeline, categories and records.
type MediationStore struct {
	db         *DB
	categories cache[[]mediation.Category]
}

var (
	_ mediation.RequestStore = (*MediationStore)(nil)
	_ mediation.RecordStore  = (*MediationStore)(nil)
)

// NewMediationStore returns the store over db.
func NewMediationStore(db *DB) *MediationStore { return &MediationStore{db: db} }

type requestRow struct {
	ID              int64 `gorm:"primaryKey"`
	FilerID         int64
	Kind            string
	Category        string
	Description     string
	Place           string
	StationID       int64
	ChosenID        int64
	DetaineeID      int64
	Status          string
	Classification  string
	LeadID          int64
	AssistantID     int64
	RejectReason    string
	Version         int
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ClosedAt        *time.Time
	RatingStars     int
	RatingComment   string
	RatedAt         *time.Time
	ReturnStars     int
	ReturnComment   string
	ReturnChannel   string
	ReturnBy        int64
	ReturnedAt      *time.Time
	FirstResponseAt *time.Time
	Outcome         string
}

func (requestRow) TableName() string { return "requests" }

type partyRow struct {
	ID        int64 `gorm:"primaryKey"`
	RequestID int64
	Name      string
	Phone     string
	Relation  string
}

func (partyRow) TableName() string { return "request_parties" }

type eventRow struct {
	ID         int64 `gorm:"primaryKey"`
	RequestID  int64
	At         time.Time
	ActorID    int64
	ActorRole  string
	Type       string
	FromStatus string
	ToStatus   string
	Note       string
}

func (eventRow) TableName() string { return "request_events" }

type categoryRow struct {
	Code      string `gorm:"primaryKey"`
	Label     string
	SortOrder int
	Active    bool
	CreatedAt time.Time
}

func (categoryRow) TableName() string { return "categories" }

func fromRequest(r *mediation.Request) requestRow {
	row := requestRow{
		ID: r.ID, FilerID: r.FilerID, Kind: string(r.Filing.Kind), Category: r.Filing.Category,
		Description: r.Filing.Description, Place: r.Filing.Place, StationID: r.Filing.StationID,
		ChosenID: r.Filing.ChosenID, DetaineeID: r.Filing.DetaineeID, Status: string(r.Status),
		Classification: string(r.Classification), LeadID: r.LeadID, AssistantID: r.AssistantID,
		RejectReason: r.RejectReason, Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		ClosedAt: utcPtr(r.ClosedAt), FirstResponseAt: utcPtr(r.FirstResponseAt), Outcome: string(r.Outcome),
	}
	if r.Rating != nil {
		row.RatingStars, row.RatingComment = r.Rating.Stars, r.Rating.Comment
		at := r.Rating.At.UTC()
		row.RatedAt = &at
	}
	if v := r.ReturnVisit; v != nil {
		row.ReturnStars, row.ReturnComment, row.ReturnChannel, row.ReturnBy = v.Stars, v.Comment, string(v.Channel), v.ByID
		at := v.At.UTC()
		row.ReturnedAt = &at
	}
	return row
}

func (row requestRow) toDomain(parties []partyRow) mediation.Request {
	r := mediation.Request{
		ID: row.ID, FilerID: row.FilerID,
		Filing: mediation.Filing{
			Kind: mediation.Kind(row.Kind), Category: row.Category, Description: row.Description, Place: row.Place,
			StationID: row.StationID, ChosenID: row.ChosenID, DetaineeID: row.DetaineeID,
		},
		Status: mediation.Status(row.Status), Classification: mediation.Classification(row.Classification),
		LeadID: row.LeadID, AssistantID: row.AssistantID, RejectReason: row.RejectReason, Version: row.Version,
		CreatedAt: row.CreatedAt.UTC(), UpdatedAt: row.UpdatedAt.UTC(), ClosedAt: utcPtr(row.ClosedAt),
		FirstResponseAt: utcPtr(row.FirstResponseAt), Outcome: mediation.Status(row.Outcome),
	}
	if row.RatedAt != nil {
		r.Rating = &mediation.Rating{Stars: row.RatingStars, Comment: row.RatingComment, At: row.RatedAt.UTC()}
	}
	if row.ReturnedAt != nil {
		r.ReturnVisit = &mediation.ReturnVisit{Stars: row.ReturnStars, Comment: row.ReturnComment, Channel: mediation.Channel(row.ReturnChannel),
			ByID: row.ReturnBy, At: row.ReturnedAt.UTC()}
	}
	for _, p := range parties {
		r.Filing.Parties = append(r.Filing.Parties, mediation.Party{Name: p.Name, Phone: p.Phone, Relation: p.Relation})
	}
	return r
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// CreateRequest inserts requests with their parties, one statement per
// table, and sets their IDs.
func (s *MediationStore) CreateRequest(ctx context.Context, rs ...*mediation.Request) error {
	if len(rs) == 0 {
		return nil
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		rows := make([]requestRow, len(rs))
		for i, r := range rs {
			r.CreatedAt, r.UpdatedAt = storedTime(r.CreatedAt), storedTime(r.UpdatedAt) // the filing's answer is what later reads give
			rows[i] = fromRequest(r)
			rows[i].ID = 0
		}
		if err := s.db.Conn(ctx).Create(&rows).Error; err != nil {
			return Translate(err, "create requests")
		}
		var parties []partyRow
		for i, r := range rs {
			r.ID = rows[i].ID
			for _, p := range r.Filing.Parties {
				parties = append(parties, partyRow{RequestID: r.ID, Name: p.Name, Phone: p.Phone, Relation: p.Relation})
			}
		}
		if len(parties) == 0 {
			return nil
		}
		return Translate(s.db.Conn(ctx).Create(&parties).Error, "create request parties")
	})
}

// Request loads one request with its parties.
func (s *MediationStore) Request(ctx context.Context, id int64) (*mediation.Request, error) {
	var row requestRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, requestNotFound(Translate(err, fmt.Sprintf("find request %d", id)))
	}
	var parties []partyRow
	if err := s.db.Conn(ctx).Where("request_id = ?", id).Order("id").Find(&parties).Error; err != nil {
		return nil, Translate(err, "find request parties")
	}
	r := row.toDomain(parties)
	tags, err := tagsOf(ctx, s.db, []int64{id})
	if err != nil {
		return nil, err
	}
	r.Tags = tags[id]
	if err := s.fillFilers(ctx, []*mediation.Request{&r}); err != nil {
		return nil, err
	}
	return &r, nil
}

// fillFilers reads the filers' names and phones from their accounts, so that
// staff see who filed as the account stands now (anonymised: empty).
func (s *MediationStore) fillFilers(ctx context.Context, rs []*mediation.Request) error {
	ids := make([]int64, 0, len(rs))
	for _, r := range rs {
		ids = append(ids, r.FilerID)
	}
	var users []userRow
	if err := s.db.Conn(ctx).Select("id", "name", "phone").Where("id IN ?", ids).Find(&users).Error; err != nil {
		return Translate(err, "find filers")
	}
	byID := make(map[int64]mediation.Filer, len(users))
	for _, u := range users {
		f := mediation.Filer{Name: u.Name}
		if u.Phone != nil {
			f.Phone = *u.Phone
		}
		byID[u.ID] = f
	}
	for _, r := range rs {
		r.Filer = byID[r.FilerID]
	}
	return nil
}

func requestNotFound(err error) error {
	if domain.IsKind(err, domain.KindNotFound) {
		return domain.Errorf(domain.KindNotFound, "request.not_found", "No such request.")
	}
	return err
}

// UpdateRequest writes the mutable fields when the stored version is
// r.Version-1 (the caller bumped it), and answers a conflict otherwise.
func (s *MediationStore) UpdateRequest(ctx context.Context, r *mediation.Request) error {
	r.UpdatedAt = storedTime(r.UpdatedAt) // the change's answer is what later reads give
	row := fromRequest(r)
	res := s.db.Conn(ctx).Model(&requestRow{}).
		Where("id = ? AND version = ?", r.ID, r.Version-1).
		Select("status", "classification", "lead_id", "assistant_id", "reject_reason", "version", "updated_at",
			"closed_at", "rating_stars", "rating_comment", "rated_at", "first_response_at", "outcome",
			"return_stars", "return_comment", "return_channel", "return_by", "returned_at").
		Updates(&row)
	if res.Error != nil {
		return Translate(res.Error, fmt.Sprintf("update request %d", r.ID))
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.KindConflict, "request.changed", "The request was changed by someone else; reload it and try again.")
	}
	return nil
}

// RequestsOfFiler pages a citizen's own requests, newest first.
func (s *MediationStore) RequestsOfFiler(ctx context.Context, filerID int64, p mediation.Page) ([]mediation.Request, error) {
	q := s.db.Conn(ctx).Where("filer_id = ?", filerID)
	return s.page(ctx, q, p)
}

// RequestsForStaff pages the requests of the given stations, newest first.
func (s *MediationStore) RequestsForStaff(ctx context.Context, f mediation.StaffFilter) ([]mediation.Request, error) {
	q := s.db.Conn(ctx).Model(&requestRow{})
	if f.StationIDs != nil {
		q = q.Where("station_id IN ?", f.StationIDs)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if f.FirmID != 0 {
		firm := s.db.Conn(ctx).Model(&userRow{}).Select("id").Where("firm_id = ?", f.FirmID)
		q = q.Where("(lead_id IN (?) OR assistant_id IN (?) OR chosen_id IN (?))", firm, firm, firm)
	}
	if f.PersonID != 0 {
		q = q.Where("(lead_id = ? OR assistant_id = ? OR chosen_id = ?)", f.PersonID, f.PersonID, f.PersonID)
	}
	return s.page(ctx, applySearch(q, f.Search), f.Page)
}

func (s *MediationStore) page(ctx context.Context, q *gorm.DB, p mediation.Page) ([]mediation.Request, error) {
	if p.Before > 0 {
		q = q.Where("id < ?", p.Before)
	}
	var rows []requestRow
	if err := q.Order("id DESC").Limit(p.Limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list requests")
	}
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var parties []partyRow
	if err := s.db.Conn(ctx).Where("request_id IN ?", ids).Order("id").Find(&parties).Error; err != nil {
		return nil, Translate(err, "list request parties")
	}
	byRequest := map[int64][]partyRow{}
	for _, p := range parties {
		byRequest[p.RequestID] = append(byRequest[p.RequestID], p)
	}
	tags, err := tagsOf(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	out := make([]mediation.Request, len(rows))
	ptrs := make([]*mediation.Request, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain(byRequest[r.ID])
		out[i].Tags = tags[r.ID]
		ptrs[i] = &out[i]
	}
	if err := s.fillFilers(ctx, ptrs); err != nil {
		return nil, err
	}
	return out, nil
}

// AppendEvent adds entries to requests' timelines, setting their IDs.
func (s *MediationStore) AppendEvent(ctx context.Context, events ...*mediation.Event) error {
	if len(events) == 0 {
		return nil
	}
	rows := make([]eventRow, len(events))
	for i, e := range events {
		rows[i] = eventRow{RequestID: e.RequestID, At: e.At.UTC(), ActorID: e.ActorID, ActorRole: e.ActorRole, Type: e.Type,
			FromStatus: string(e.FromStatus), ToStatus: string(e.ToStatus), Note: e.Note}
	}
	if err := s.db.Conn(ctx).Create(&rows).Error; err != nil {
		return Translate(err, "append request events")
	}
	for i, e := range events {
		e.ID = rows[i].ID
	}
	return nil
}

// Events returns a request's timeline in order.
func (s *MediationStore) Events(ctx context.Context, requestID int64) ([]mediation.Event, error) {
	var rows []eventRow
	if err := s.db.Conn(ctx).Where("request_id = ?", requestID).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, "list request events")
	}
	out := make([]mediation.Event, len(rows))
	for i, r := range rows {
		out[i] = mediation.Event{ID: r.ID, RequestID: r.RequestID, At: r.At.UTC(), ActorID: r.ActorID, ActorRole: r.ActorRole,
			Type: r.Type, FromStatus: mediation.Status(r.FromStatus), ToStatus: mediation.Status(r.ToStatus), Note: r.Note}
	}
	return out, nil
}

// EventsBefore pages a request's timeline newest first: entries with IDs
// below p.Before (0 for the newest), at most p.Limit of them.
func (s *MediationStore) EventsBefore(ctx context.Context, requestID int64, p mediation.Page) ([]mediation.Event, error) {
	q := s.db.Conn(ctx).Where("request_id = ?", requestID)
	if p.Before > 0 {
		q = q.Where("id < ?", p.Before)
	}
	var rows []eventRow
	if err := q.Order("id DESC").Limit(p.Limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "page request events")
	}
	out := make([]mediation.Event, len(rows))
	for i, r := range rows {
		out[i] = mediation.Event{ID: r.ID, RequestID: r.RequestID, At: r.At.UTC(), ActorID: r.ActorID, ActorRole: r.ActorRole,
			Type: r.Type, FromStatus: mediation.Status(r.FromStatus), ToStatus: mediation.Status(r.ToStatus), Note: r.Note}
	}
	return out, nil
}

// Categories returns the active categories in display order. Every filing
// checks its category, so the list is kept for a short while (an edit shows
// within cacheTTL).
func (s *MediationStore) Categories(ctx context.Context) ([]mediation.Category, error) {
	return s.categories.get(func() ([]mediation.Category, error) { return s.loadCategories(ctx) })
}

func (s *MediationStore) loadCategories(ctx context.Context) ([]mediation.Category, error) {
	var rows []categoryRow
	if err := s.db.Conn(ctx).Where("active = ?", true).Order("sort_order, code").Find(&rows).Error; err != nil {
		return nil, Translate(err, "list categories")
	}
	out := make([]mediation.Category, len(rows))
	for i, r := range rows {
		out[i] = mediation.Category{Code: r.Code, Label: r.Label, Order: r.SortOrder}
	}
	return out, nil
}

// SeedCategories inserts the default categories that are not there yet; an
// operator's edits to existing ones are kept.
func (s *MediationStore) SeedCategories(ctx context.Context, cats []mediation.Category, now time.Time) error {
	for _, c := range cats {
		row := categoryRow{Code: c.Code, Label: c.Label, SortOrder: c.Order, Active: true, CreatedAt: now.UTC()}
		if err := s.db.Conn(ctx).Where("code = ?", c.Code).FirstOrCreate(&row).Error; err != nil {
			return Translate(err, "seed category "+c.Code)
		}
	}
	s.categories.reset()
	return nil
}
