package mysql

import (
	"context"
	"fmt"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

// TagStore keeps cases' tags and the organisations' tag vocabularies.
type TagStore struct{ db *DB }

var _ mediation.TagStore = (*TagStore)(nil)

// NewTagStore returns the store over db.
func NewTagStore(db *DB) *TagStore { return &TagStore{db: db} }

type requestTagRow struct {
	ID        int64 `gorm:"primaryKey"`
	RequestID int64
	Tag       string
	AddedBy   int64
	AddedAt   time.Time
}

func (requestTagRow) TableName() string { return "request_tags" }

type vocabularyRow struct {
	ID        int64 `gorm:"primaryKey"`
	OrgID     int64
	Name      string
	CreatedBy int64
	CreatedAt time.Time
}

func (vocabularyRow) TableName() string { return "tag_vocabulary" }

// TagsOf implements mediation.TagStore: a case's tags in the order added.
func (s *TagStore) TagsOf(ctx context.Context, requestID int64) ([]string, error) {
	tags, err := tagsOf(ctx, s.db, []int64{requestID})
	return tags[requestID], err
}

// tagsOf loads the tags of many requests with one query.
func tagsOf(ctx context.Context, db *DB, ids []int64) (map[int64][]string, error) {
	var rows []requestTagRow
	if err := db.Conn(ctx).Where("request_id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, "list request tags")
	}
	out := map[int64][]string{}
	for _, r := range rows {
		out[r.RequestID] = append(out[r.RequestID], r.Tag)
	}
	return out, nil
}

// AddTag implements mediation.TagStore; a tag the case has (even one
// another transaction added a moment ago) adds nothing.
func (s *TagStore) AddTag(ctx context.Context, requestID int64, tag string, by int64, at time.Time) (bool, error) {
	row := requestTagRow{RequestID: requestID, Tag: tag, AddedBy: by, AddedAt: at.UTC()}
	err := Translate(s.db.Conn(ctx).Create(&row).Error, fmt.Sprintf("tag request %d", requestID))
	if e, ok := domain.AsError(err); ok && e.Code == "duplicate" {
		// uq_request_tags: the tag is there. A failed insert leaves both
		// engines' transactions usable (a statement-level rollback).
		return false, nil
	}
	return err == nil, err
}

// RemoveTag implements mediation.TagStore.
func (s *TagStore) RemoveTag(ctx context.Context, requestID int64, tag string) (bool, error) {
	res := s.db.Conn(ctx).Where("request_id = ? AND tag = ?", requestID, tag).Delete(&requestTagRow{})
	if res.Error != nil {
		return false, Translate(res.Error, fmt.Sprintf("untag request %d", requestID))
	}
	return res.RowsAffected > 0, nil
}

// Vocabulary implements mediation.TagStore: the organisations' suggested
// tags by name.
func (s *TagStore) Vocabulary(ctx context.Context, orgIDs []int64) ([]mediation.VocabularyTag, error) {
	var rows []vocabularyRow
	if err := s.db.Conn(ctx).Where("org_id IN ?", orgIDs).Order("name, org_id").Find(&rows).Error; err != nil {
		return nil, Translate(err, "list tag vocabulary")
	}
	out := make([]mediation.VocabularyTag, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

func (r vocabularyRow) toDomain() mediation.VocabularyTag {
	return mediation.VocabularyTag{ID: r.ID, OrgID: r.OrgID, Name: r.Name, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
}

// AddVocabulary implements mediation.TagStore.
func (s *TagStore) AddVocabulary(ctx context.Context, v *mediation.VocabularyTag) error {
	row := vocabularyRow{OrgID: v.OrgID, Name: v.Name, CreatedBy: v.CreatedBy, CreatedAt: v.CreatedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		err = Translate(err, "add tag vocabulary")
		if domain.IsKind(err, domain.KindConflict) {
			return domain.Errorf(domain.KindConflict, "tag_vocabulary.exists", "The organisation already suggests that tag.")
		}
		return err
	}
	v.ID = row.ID
	return nil
}

// VocabularyEntry implements mediation.TagStore.
func (s *TagStore) VocabularyEntry(ctx context.Context, id int64) (*mediation.VocabularyTag, error) {
	var row vocabularyRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		err = Translate(err, fmt.Sprintf("find tag vocabulary %d", id))
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, domain.Errorf(domain.KindNotFound, "tag_vocabulary.not_found", "No such suggested tag.")
		}
		return nil, err
	}
	v := row.toDomain()
	return &v, nil
}

// RemoveVocabulary implements mediation.TagStore.
func (s *TagStore) RemoveVocabulary(ctx context.Context, id int64) error {
	return Translate(s.db.Conn(ctx).Delete(&vocabularyRow{}, id).Error, fmt.Sprintf("remove tag vocabulary %d", id))
}
