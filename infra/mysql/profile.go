package mysql

import (
	"context"
	"strings"

	"github.com/tiaojie/tiaojie/domain/account"
)

var (
	_ account.ProfileStore = (*AccountStore)(nil)
	_ account.Ratings      = (*MediationStore)(nil)
	_ account.Load         = (*MediationStore)(nil)
)

type profileRow struct {
	UserID          int64 `gorm:"primaryKey"`
	Specialties     string
	Languages       string
	YearsOfPractice int
	Bio             string
}

func (profileRow) TableName() string { return "lawyer_profiles" }

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// ProfileFacts implements account.ProfileStore.
func (s *AccountStore) ProfileFacts(ctx context.Context, userIDs []int64) (map[int64]account.ProfileFacts, error) {
	out := map[int64]account.ProfileFacts{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []profileRow
	if err := s.db.Conn(ctx).Where("user_id IN ?", userIDs).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list lawyer profiles")
	}
	for _, r := range rows {
		out[r.UserID] = account.ProfileFacts{Specialties: splitList(r.Specialties), Languages: splitList(r.Languages),
			YearsOfPractice: r.YearsOfPractice, Bio: r.Bio}
	}
	return out, nil
}

// SaveProfileFacts implements account.ProfileStore.
func (s *AccountStore) SaveProfileFacts(ctx context.Context, userID int64, f account.ProfileFacts) error {
	row := profileRow{UserID: userID, Specialties: strings.Join(f.Specialties, ","), Languages: strings.Join(f.Languages, ","),
		YearsOfPractice: f.YearsOfPractice, Bio: f.Bio}
	return Translate(s.db.Conn(ctx).Save(&row).Error, "save lawyer profile")
}

// RatingsOf implements account.Ratings: the satisfaction of cases led.
func (s *MediationStore) RatingsOf(ctx context.Context, userIDs []int64) (map[int64]account.RatingSummary, error) {
	out := map[int64]account.RatingSummary{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ID  int64
		Avg float64
		N   int
	}
	if err := s.db.Conn(ctx).Model(&requestRow{}).Select("lead_id AS id, AVG(rating_stars) AS avg, COUNT(*) AS n").
		Where("lead_id IN ? AND rated_at IS NOT NULL", userIDs).Group("lead_id").Scan(&rows).Error; err != nil {
		return nil, Translate(err, "average ratings")
	}
	for _, r := range rows {
		out[r.ID] = account.RatingSummary{Average: r.Avg, Count: r.N}
	}
	return out, nil
}
