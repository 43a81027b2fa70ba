package mysql

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

var _ mediation.Anonymiser = (*MediationStore)(nil)

// AnonymiseFinishedBefore implements mediation.Anonymiser in one transaction.
func (s *MediationStore) AnonymiseFinishedBefore(ctx context.Context, t time.Time) (int, error) {
	finished := []string{string(mediation.StatusClosed), string(mediation.StatusFollowedUp), string(mediation.StatusRejected), string(mediation.StatusWithdrawn)}
	var n int
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var ids []int64
		if err := s.db.Conn(ctx).Model(&requestRow{}).Where("status IN ? AND updated_at < ? AND description <> ?", finished, t.UTC(), mediation.AnonymisedText).
			Pluck("id", &ids).Error; err != nil {
			return Translate(err, "find expired requests")
		}
		if len(ids) == 0 {
			return nil
		}
		n = len(ids)
		if err := s.db.Conn(ctx).Model(&requestRow{}).Where("id IN ?", ids).
			Updates(map[string]any{"description": mediation.AnonymisedText, "place": "", "rating_comment": "", "return_comment": ""}).Error; err != nil {
			return Translate(err, "anonymise requests")
		}
		if err := s.db.Conn(ctx).Model(&partyRow{}).Where("request_id IN ?", ids).
			Updates(map[string]any{"name": mediation.AnonymisedText, "phone": "", "relation": ""}).Error; err != nil {
			return Translate(err, "anonymise parties")
		}
		return Translate(s.db.Conn(ctx).Model(&eventRow{}).Where("request_id IN ?", ids).Update("note", "").Error, "anonymise timeline notes")
	})
	return n, err
}

var _ account.CitizenAnonymiser = (*AccountStore)(nil)

// AnonymiseCitizensInactiveSince implements account.CitizenAnonymiser.
func (s *AccountStore) AnonymiseCitizensInactiveSince(ctx context.Context, t, at time.Time) (int, error) {
	var open []string
	for _, st := range mediation.Statuses {
		if !st.Terminal() && st != mediation.StatusClosed {
			open = append(open, string(st))
		}
	}
	busy := s.db.Conn(ctx).Model(&requestRow{}).Select("filer_id").Where("status IN ?", open)
	res := s.db.Conn(ctx).Model(&userRow{}).
		Where("roles = ? AND anonymised_at IS NULL AND COALESCE(last_login_at, created_at) < ? AND id NOT IN (?)", "citizen", t.UTC(), busy).
		Updates(map[string]any{"name": "", "phone": nil, "miniapp_id": nil, "anonymised_at": at.UTC(), "updated_at": at.UTC()})
	return int(res.RowsAffected), Translate(res.Error, "anonymise citizens")
}
