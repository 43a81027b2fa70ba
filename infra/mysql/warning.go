package mysql

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/warning"
)

// WarningStore keeps warning rules and warnings.
type WarningStore struct{ db *DB }

var (
	_ warning.RuleStore    = (*WarningStore)(nil)
	_ warning.WarningStore = (*WarningStore)(nil)
)

// NewWarningStore returns the store over db.
func NewWarningStore(db *DB) *WarningStore { return &WarningStore{db: db} }

type ruleRow struct {
	ID              int64 `gorm:"primaryKey"`
	Kind            string
	Name            string
	Threshold       int
	WindowSeconds   int64
	Severity        string
	CooldownSeconds int64
	NotifyUnits     string
	Enabled         bool
	Version         int
	UpdatedAt       time.Time
}

func (ruleRow) TableName() string { return "warning_rules" }

func fromRule(r *warning.Rule) ruleRow {
	return ruleRow{ID: r.ID, Kind: string(r.Kind), Name: r.Name, Threshold: r.Threshold, WindowSeconds: int64(r.Window / time.Second),
		Severity: string(r.Severity), CooldownSeconds: int64(r.Cooldown / time.Second), NotifyUnits: joinIDs(r.Notify),
		Enabled: r.Enabled, Version: r.Version, UpdatedAt: r.UpdatedAt.UTC()}
}

func (r ruleRow) toDomain() warning.Rule {
	return warning.Rule{ID: r.ID, Kind: warning.Kind(r.Kind), Name: r.Name, Threshold: r.Threshold,
		Window: time.Duration(r.WindowSeconds) * time.Second, Severity: warning.Severity(r.Severity),
		Cooldown: time.Duration(r.CooldownSeconds) * time.Second, Notify: splitIDs(r.NotifyUnits), Enabled: r.Enabled,
		Version: r.Version, UpdatedAt: r.UpdatedAt.UTC()}
}

// Rules lists every rule.
func (s *WarningStore) Rules(ctx context.Context) ([]warning.Rule, error) {
	var rows []ruleRow
	if err := s.db.Conn(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, "list warning rules")
	}
	out := make([]warning.Rule, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// Rule loads one rule.
func (s *WarningStore) Rule(ctx context.Context, id int64) (*warning.Rule, error) {
	var row ruleRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("find warning rule %d", id))
	}
	r := row.toDomain()
	return &r, nil
}

// CreateRule inserts a rule; r.ID is set.
func (s *WarningStore) CreateRule(ctx context.Context, r *warning.Rule) error {
	row := fromRule(r)
	row.ID = 0
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create warning rule")
	}
	r.ID = row.ID
	return nil
}

// UpdateRule writes a rule whose stored version is r.Version-1.
func (s *WarningStore) UpdateRule(ctx context.Context, r *warning.Rule) error {
	row := fromRule(r)
	res := s.db.Conn(ctx).Model(&ruleRow{}).Where("id = ? AND version = ?", r.ID, r.Version-1).
		Select("name", "threshold", "window_seconds", "severity", "cooldown_seconds", "notify_units", "enabled", "version", "updated_at").
		Updates(&row)
	if res.Error != nil {
		return Translate(res.Error, "update warning rule")
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.KindConflict, "warning_rule.changed", "The rule was changed by someone else; reload it and try again.")
	}
	return nil
}

// LockRule takes the rule's row lock for the rest of the transaction.
func (s *WarningStore) LockRule(ctx context.Context, id int64) error {
	var row ruleRow
	q := s.db.Conn(ctx)
	if s.db.Dialect == DialectMySQL {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return Translate(q.Select("id").Take(&row, id).Error, "lock warning rule")
}

type warningRow struct {
	ID         int64 `gorm:"primaryKey"`
	RuleID     int64
	RuleKind   string
	RuleName   string
	Subject    string
	Severity   string
	StationID  int64
	EventIDs   string `gorm:"column:event_ids"`
	EventCount int
	Status     string
	Outcome    string
	Notes      string
	DedupeKey  string
	Version    int
	RaisedAt   time.Time
	UpdatedAt  time.Time
}

func (warningRow) TableName() string { return "warnings" }

func (r warningRow) toDomain() warning.Warning {
	return warning.Warning{ID: r.ID, RuleID: r.RuleID, RuleKind: warning.Kind(r.RuleKind), RuleName: r.RuleName, Subject: r.Subject,
		Severity: warning.Severity(r.Severity), StationID: r.StationID, EventIDs: splitIDs(r.EventIDs), Count: r.EventCount,
		Status: warning.Status(r.Status), Outcome: warning.Outcome(r.Outcome), Notes: r.Notes, DedupeKey: r.DedupeKey,
		Version: r.Version, RaisedAt: r.RaisedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// CreateWarning inserts a warning; the same dedupe key twice is a conflict.
func (s *WarningStore) CreateWarning(ctx context.Context, w *warning.Warning) error {
	row := warningRow{RuleID: w.RuleID, RuleKind: string(w.RuleKind), RuleName: w.RuleName, Subject: w.Subject, Severity: string(w.Severity),
		StationID: w.StationID, EventIDs: joinIDs(w.EventIDs), EventCount: w.Count, Status: string(w.Status), Outcome: string(w.Outcome),
		Notes: w.Notes, DedupeKey: w.DedupeKey, Version: w.Version, RaisedAt: w.RaisedAt.UTC(), UpdatedAt: w.UpdatedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create warning")
	}
	w.ID = row.ID
	return nil
}

// LastRaised is when the rule last fired for the subject.
func (s *WarningStore) LastRaised(ctx context.Context, ruleID int64, subject string) (time.Time, bool, error) {
	var row warningRow
	err := s.db.Conn(ctx).Select("raised_at").Where("rule_id = ? AND subject = ?", ruleID, subject).Order("raised_at DESC").Limit(1).Find(&row).Error
	if err != nil {
		return time.Time{}, false, Translate(err, "last warning raised")
	}
	return row.RaisedAt.UTC(), !row.RaisedAt.IsZero(), nil
}

// Warning loads one warning.
func (s *WarningStore) Warning(ctx context.Context, id int64) (*warning.Warning, error) {
	var row warningRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		err = Translate(err, fmt.Sprintf("find warning %d", id))
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, domain.Errorf(domain.KindNotFound, "warning.not_found", "No such warning.")
		}
		return nil, err
	}
	w := row.toDomain()
	return &w, nil
}

// UpdateWarning writes status, outcome and notes when the stored version is
// w.Version-1.
func (s *WarningStore) UpdateWarning(ctx context.Context, w *warning.Warning) error {
	res := s.db.Conn(ctx).Model(&warningRow{}).Where("id = ? AND version = ?", w.ID, w.Version-1).
		Updates(map[string]any{"status": string(w.Status), "outcome": string(w.Outcome), "notes": w.Notes, "version": w.Version, "updated_at": w.UpdatedAt.UTC()})
	if res.Error != nil {
		return Translate(res.Error, "update warning")
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.KindConflict, "warning.changed", "The warning was changed by someone else; reload it and try again.")
	}
	return nil
}

func (s *WarningStore) filtered(ctx context.Context, f warning.Filter) *gorm.DB {
	q := s.db.Conn(ctx).Model(&warningRow{})
	if f.StationIDs != nil {
		q = q.Where("station_id IN ?", f.StationIDs)
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.Severity != "" {
		q = q.Where("severity = ?", string(f.Severity))
	}
	if f.RuleKind != "" {
		q = q.Where("rule_kind = ?", string(f.RuleKind))
	}
	if !f.From.IsZero() {
		q = q.Where("raised_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("raised_at < ?", f.To.UTC())
	}
	return q
}

// Warnings pages warnings, newest first.
func (s *WarningStore) Warnings(ctx context.Context, f warning.Filter) ([]warning.Warning, error) {
	q := s.filtered(ctx, f)
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	var rows []warningRow
	if err := q.Order("id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list warnings")
	}
	out := make([]warning.Warning, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// CountByOutcome counts warnings by outcome ("" for not yet handled).
func (s *WarningStore) CountByOutcome(ctx context.Context, f warning.Filter) (map[string]int, error) {
	var rows []struct {
		Outcome string
		N       int
	}
	if err := s.filtered(ctx, f).Select("outcome, COUNT(*) AS n").Group("outcome").Scan(&rows).Error; err != nil {
		return nil, Translate(err, "count warnings by outcome")
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Outcome] = r.N
	}
	return out, nil
}

// SeedRules inserts the default rules when there are none.
func (s *WarningStore) SeedRules(ctx context.Context, rules []warning.Rule, now time.Time) error {
	var n int64
	if err := s.db.Conn(ctx).Model(&ruleRow{}).Count(&n).Error; err != nil || n > 0 {
		return Translate(err, "count warning rules")
	}
	for _, r := range rules {
		r.Version, r.UpdatedAt = 1, now
		if err := s.CreateRule(ctx, &r); err != nil {
			return err
		}
	}
	return nil
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}
