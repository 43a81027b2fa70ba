package incident

import (
	"context"

	"github.com/tiaojie/tiaojie/domain"
)

// Standards lists every province's standards, newest year first per province.
func (s *Service) Standards(ctx context.Context) ([]Standard, error) { return s.Store.Standards(ctx) }

// CreateStandard adds a province's figures for a year (admins; the route
// guard checks the role).
func (s *Service) CreateStandard(ctx context.Context, a domain.Actor, st Standard) (*Standard, error) {
	if err := st.Validate(); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	st.ID, st.UpdatedBy, st.CreatedAt, st.UpdatedAt, st.Version = 0, a.UserID, now, now, 1
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateStandard(ctx, &st); err != nil {
			if domain.IsKind(err, domain.KindConflict) {
				return domain.Errorf(domain.KindConflict, "compensation.standard_exists", "This province already has a standard for the year.")
			}
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "compensation_standard.create", "compensation_standard", st.ID, st.Province))
	})
	return &st, err
}

// UpdateStandard replaces a standard's figures; version is the one the admin
// read.
func (s *Service) UpdateStandard(ctx context.Context, a domain.Actor, id int64, version int, st Standard) (*Standard, error) {
	if err := st.Validate(); err != nil {
		return nil, err
	}
	var out *Standard
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		cur, err := s.Store.Standard(ctx, id)
		if err != nil {
			return err
		}
		if version != cur.Version {
			return domain.Errorf(domain.KindConflict, "compensation.standard_changed", "The standard changed meanwhile; reload it and try again.")
		}
		now := s.Clock.Now()
		st.ID, st.CreatedAt, st.UpdatedBy, st.UpdatedAt, st.Version = id, cur.CreatedAt, a.UserID, now, cur.Version
		ok, err := s.Store.UpdateStandard(ctx, &st)
		if err != nil {
			if domain.IsKind(err, domain.KindConflict) {
				return domain.Errorf(domain.KindConflict, "compensation.standard_exists", "This province already has a standard for the year.")
			}
			return err
		}
		if !ok {
			return domain.Errorf(domain.KindConflict, "compensation.standard_changed", "The standard changed meanwhile; reload it and try again.")
		}
		out = &st
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "compensation_standard.update", "compensation_standard", id, st.Province))
	})
	return out, err
}

// DeleteStandard removes a standard; calculations made from it keep their
// figures (their items say how each was reckoned).
func (s *Service) DeleteStandard(ctx context.Context, a domain.Actor, id int64) error {
	return s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.Store.Standard(ctx, id); err != nil {
			return err
		}
		if err := s.Store.DeleteStandard(ctx, id); err != nil {
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "compensation_standard.delete", "compensation_standard", id, ""))
	})
}

// SampleStandards are the Chongqing and Jiangsu tables a new installation
// starts with. THE FIGURES ARE SAMPLE VALUES, to be replaced by an admin with
// the ones the provinces publish for the year; every calculation made from
// them says so.
func SampleStandards(year int) []Standard {
	return []Standard{
		{Province: "chongqing", ProvinceName: "重庆市", Year: year, DisposableIncomeFen: 45_000_00, AverageWageFen: 100_000_00,
			NursingPerDayFen: 150_00, HospitalFoodPerDayFen: 50_00, NutritionPerDayFen: 30_00, Sample: true,
			Note: "示例数值，请管理员按当年公布的统计数据替换"},
		{Province: "jiangsu", ProvinceName: "江苏省", Year: year, DisposableIncomeFen: 60_000_00, AverageWageFen: 120_000_00,
			NursingPerDayFen: 180_00, HospitalFoodPerDayFen: 60_00, NutritionPerDayFen: 40_00, Sample: true,
			Note: "示例数值，请管理员按当年公布的统计数据替换"},
	}
}
