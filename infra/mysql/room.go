package mysql

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

var _ mediation.RoomStore = (*MediationStore)(nil)

type roomRow struct {
	ID        string `gorm:"primaryKey"`
	OwnerType string
	OwnerID   int64
	NotBefore time.Time
	NotAfter  time.Time
	CreatedBy int64
	CreatedAt time.Time
	EndedAt   *time.Time
	EndReason string
}

func (roomRow) TableName() string { return "rooms" }

type removalRow struct {
	RoomID    string `gorm:"primaryKey"`
	UserID    int64  `gorm:"primaryKey"`
	RemovedAt time.Time
}

func (removalRow) TableName() string { return "room_removals" }

type inviteRow struct {
	RoomID string `gorm:"primaryKey"`
	UserID int64  `gorm:"primaryKey"`
	Role   string
}

func (inviteRow) TableName() string { return "room_invites" }

// CreateRoom stores a room and its invites.
func (s *MediationStore) CreateRoom(ctx context.Context, r *mediation.VideoRoom) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		owner, ownerID := mediation.RoomOfCase, r.RequestID
		if r.OwnerType == mediation.RoomOfVisit {
			owner, ownerID = mediation.RoomOfVisit, r.BookingID
		}
		row := roomRow{ID: r.ID, OwnerType: owner, OwnerID: ownerID, NotBefore: r.NotBefore.UTC(), NotAfter: r.NotAfter.UTC(),
			CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
		if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
			return Translate(err, "create room")
		}
		for _, inv := range r.Invites {
			if err := s.db.Conn(ctx).Create(&inviteRow{RoomID: r.ID, UserID: inv.UserID, Role: inv.Role}).Error; err != nil {
				return Translate(err, "invite to room")
			}
		}
		return nil
	})
}

// Room loads a room and its invites.
func (s *MediationStore) Room(ctx context.Context, id string) (*mediation.VideoRoom, error) {
	var row roomRow
	if err := s.db.Conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		err = Translate(err, "find room")
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, domain.Errorf(domain.KindNotFound, "room.not_found", "No such room.")
		}
		return nil, err
	}
	var invs []inviteRow
	if err := s.db.Conn(ctx).Where("room_id = ?", id).Order("user_id").Find(&invs).Error; err != nil {
		return nil, Translate(err, "list room invites")
	}
	var removed []int64
	if err := s.db.Conn(ctx).Model(&removalRow{}).Where("room_id = ?", id).Order("user_id").Pluck("user_id", &removed).Error; err != nil {
		return nil, Translate(err, "list room removals")
	}
	r := &mediation.VideoRoom{ID: row.ID, OwnerType: row.OwnerType, NotBefore: row.NotBefore.UTC(), NotAfter: row.NotAfter.UTC(),
		CreatedBy: row.CreatedBy, CreatedAt: row.CreatedAt.UTC(), EndedAt: utcPtr(row.EndedAt), EndReason: row.EndReason, Removed: removed}
	if row.OwnerType == mediation.RoomOfVisit {
		r.BookingID = row.OwnerID
	} else {
		r.RequestID = row.OwnerID
	}
	for _, i := range invs {
		r.Invites = append(r.Invites, mediation.RoomInvite{UserID: i.UserID, Role: i.Role})
	}
	return r, nil
}

// EndRoom marks a room ended; the first end is kept.
func (s *MediationStore) EndRoom(ctx context.Context, id string, at time.Time, reason string) error {
	err := s.db.Conn(ctx).Model(&roomRow{}).Where("id = ? AND ended_at IS NULL", id).
		Updates(map[string]any{"ended_at": at.UTC(), "end_reason": reason}).Error
	return Translate(err, "end room")
}

// RemoveFromRoom bars a person from a room; barring twice is one removal.
func (s *MediationStore) RemoveFromRoom(ctx context.Context, id string, userID int64, at time.Time) error {
	err := s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&removalRow{RoomID: id, UserID: userID, RemovedAt: at.UTC()}).Error
	return Translate(err, "remove from room")
}

// RecordingRow is a recording's metadata as stored.
type RecordingRow struct {
	ID            string `gorm:"primaryKey"`
	RoomID        string
	OwnerType     string
	OwnerID       int64
	ParticipantID string
	Role          string
	Kind          string
	Codec         string
	Container     string
	StorageKey    string
	StartedAt     time.Time
	EndedAt       *time.Time
	SizeBytes     int64
	Frames        int64
	Sha256        string `gorm:"column:sha256"`
	EndReason     string
}

// TableName implements gorm's tabler.
func (RecordingRow) TableName() string { return "recordings" }

// RecordingStore keeps recording metadata.
type RecordingStore struct{ db *DB }

// NewRecordingStore returns the store over db.
func NewRecordingStore(db *DB) *RecordingStore { return &RecordingStore{db: db} }

// Started records a recording's start marker.
func (s *RecordingStore) Started(ctx context.Context, r RecordingRow) error {
	return Translate(s.db.Conn(ctx).Create(&r).Error, "record recording start")
}

// Finished records a recording's stop marker, size and frames.
func (s *RecordingStore) Finished(ctx context.Context, r RecordingRow) error {
	res := s.db.Conn(ctx).Model(&RecordingRow{}).Where("id = ?", r.ID).Updates(map[string]any{"ended_at": utcPtr(r.EndedAt),
		"size_bytes": r.SizeBytes, "frames": r.Frames, "sha256": r.Sha256, "end_reason": r.EndReason, "storage_key": r.StorageKey})
	if res.Error != nil {
		return Translate(res.Error, "record recording end")
	}
	if res.RowsAffected == 0 { // the start was lost (a database blip): keep the finished file anyway
		return Translate(s.db.Conn(ctx).Create(&r).Error, "record recording")
	}
	return nil
}

// Of lists a room's recordings in start order.
func (s *RecordingStore) Of(ctx context.Context, roomID string) ([]RecordingRow, error) {
	var rows []RecordingRow
	err := s.db.Conn(ctx).Where("room_id = ?", roomID).Order("started_at, id").Find(&rows).Error
	return rows, Translate(err, "list recordings")
}

// One loads a recording.
func (s *RecordingStore) One(ctx context.Context, id string) (RecordingRow, error) {
	var row RecordingRow
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&row).Error
	return row, Translate(err, "find recording")
}

// ExpiredRecordings lists finished recordings that ended before t and still
// have a file.
func (s *RecordingStore) ExpiredRecordings(ctx context.Context, t time.Time, limit int) ([]RecordingRow, error) {
	var rows []RecordingRow
	err := s.db.Conn(ctx).Where("ended_at < ? AND storage_key <> ''", t.UTC()).Order("ended_at").Limit(limit).Find(&rows).Error
	return rows, Translate(err, "list expired recordings")
}

// MarkDeleted records that a recording's file was deleted under retention;
// the row (who, when, how long) stays.
func (s *RecordingStore) MarkDeleted(ctx context.Context, id string) error {
	return Translate(s.db.Conn(ctx).Model(&RecordingRow{}).Where("id = ?", id).
		Updates(map[string]any{"storage_key": "", "end_reason": "deleted_by_retention"}).Error, "mark recording deleted")
}
