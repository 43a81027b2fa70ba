package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	w "github.com/tiaojie/tiaojie/domain/warning"
)

// WarningService is what the warning handlers need of the domain.
type WarningService interface {
	ListRules(ctx context.Context) ([]w.Rule, error)
	CreateRule(ctx context.Context, a domain.Actor, r w.Rule) (*w.Rule, error)
	UpdateRule(ctx context.Context, a domain.Actor, id int64, change w.Rule) (*w.Rule, error)
	List(ctx context.Context, a domain.Actor, scope w.Scope, f w.Filter) ([]w.Warning, error)
	Outcomes(ctx context.Context, a domain.Actor, scope w.Scope, f w.Filter) (map[string]int, error)
	Act(ctx context.Context, a domain.Actor, scope w.Scope, id int64, action string, outcome w.Outcome, notes string) (*w.Warning, error)
	// Domestic-violence flags (api/dvflags.go).
	FlagDV(ctx context.Context, a domain.Actor, scope w.Scope, in w.DVFlagInput) (*w.DVFlag, error)
	ListDV(ctx context.Context, a domain.Actor, scope w.Scope, before int64, limit int) ([]w.DVFlag, error)
	ClearDV(ctx context.Context, a domain.Actor, scope w.Scope, id int64) error
}

type ruleDTO struct {
	ID            int64   `json:"id"`
	Kind          string  `json:"kind"`
	Name          string  `json:"name"`
	Threshold     int     `json:"threshold"`
	WindowDays    *int    `json:"window_days,omitempty"` // absent for a rule without a window (risk_score)
	Severity      string  `json:"severity"`
	CooldownHours int     `json:"cooldown_hours"`
	NotifyUnits   []int64 `json:"notify_units"`
	Enabled       bool    `json:"enabled"`
	Version       int     `json:"version"`
}

type ruleInputDTO struct {
	Kind          string  `json:"kind"`
	Name          string  `json:"name"`
	Threshold     int     `json:"threshold"`
	WindowDays    int     `json:"window_days"`
	Severity      string  `json:"severity"`
	CooldownHours int     `json:"cooldown_hours"`
	NotifyUnits   []int64 `json:"notify_units"`
	Enabled       bool    `json:"enabled"`
}

func (d ruleInputDTO) toRule() w.Rule {
	return w.Rule{Kind: w.Kind(d.Kind), Name: d.Name, Threshold: d.Threshold, Window: time.Duration(d.WindowDays) * 24 * time.Hour,
		Severity: w.Severity(d.Severity), Cooldown: time.Duration(d.CooldownHours) * time.Hour, Notify: d.NotifyUnits, Enabled: d.Enabled}
}

func toRuleDTO(r *w.Rule) ruleDTO {
	n := r.Notify
	if n == nil {
		n = []int64{}
	}
	var window *int
	if r.Counts() {
		days := int(r.Window / (24 * time.Hour))
		window = &days
	}
	return ruleDTO{ID: r.ID, Kind: string(r.Kind), Name: r.Name, Threshold: r.Threshold, WindowDays: window,
		Severity: string(r.Severity), CooldownHours: int(r.Cooldown / time.Hour), NotifyUnits: n, Enabled: r.Enabled, Version: r.Version}
}

type warningDTO struct {
	ID        int64     `json:"id"`
	RuleID    int64     `json:"rule_id"`
	RuleKind  string    `json:"rule_kind"`
	RuleName  string    `json:"rule_name"`
	Subject   string    `json:"subject"`
	Severity  string    `json:"severity"`
	StationID int64     `json:"station_id"`
	EventIDs  []int64   `json:"event_ids"`
	Count     int       `json:"count"`
	Status    string    `json:"status"`
	Outcome   *string   `json:"outcome"`
	Notes     string    `json:"notes"`
	RaisedAt  time.Time `json:"raised_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func toWarningDTO(x *w.Warning, loc *time.Location) warningDTO {
	ids := x.EventIDs
	if ids == nil {
		ids = []int64{}
	}
	return warningDTO{ID: x.ID, RuleID: x.RuleID, RuleKind: string(x.RuleKind), RuleName: x.RuleName, Subject: x.Subject,
		Severity: string(x.Severity), StationID: x.StationID, EventIDs: ids, Count: x.Count, Status: string(x.Status),
		Outcome: optString(string(x.Outcome)), Notes: x.Notes, RaisedAt: x.RaisedAt.In(loc), UpdatedAt: x.UpdatedAt.In(loc)}
}

func (s *Server) listRules(c *fiber.Ctx) error {
	rules, err := s.warnings.ListRules(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]ruleDTO, len(rules))
	for i := range rules {
		out[i] = toRuleDTO(&rules[i])
	}
	return c.JSON(out)
}

func (s *Server) createRule(c *fiber.Ctx) error {
	var body ruleInputDTO
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	r, err := s.warnings.CreateRule(c.UserContext(), s.actor(c), body.toRule())
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(toRuleDTO(r))
}

func (s *Server) updateRule(c *fiber.Ctx) error {
	var body ruleInputDTO
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	r, err := s.warnings.UpdateRule(c.UserContext(), s.actor(c), id, body.toRule())
	if err != nil {
		return err
	}
	return c.JSON(toRuleDTO(r))
}

func warningFilter(c *fiber.Ctx) (w.Filter, error) {
	var p domain.Problems
	f := w.Filter{Status: w.Status(c.Query("status")), Severity: w.Severity(c.Query("severity")), RuleKind: w.Kind(c.Query("rule_kind"))}
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if v := c.Query(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				p.Add(name, domain.FieldInvalid, "is an RFC 3339 time")
			}
			*dst = t
		}
	}
	return f, p.Err()
}

func (s *Server) listWarnings(c *fiber.Ctx) error {
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	f, err := warningFilter(c)
	if err != nil {
		return err
	}
	f.Before, f.Limit = before, limit
	items, err := s.warnings.List(c.UserContext(), s.actor(c), s.scope, f)
	if err != nil {
		return err
	}
	out := make([]warningDTO, len(items))
	for i := range items {
		out[i] = toWarningDTO(&items[i], s.loc)
	}
	return c.JSON(newPage(out, limit, func(d warningDTO) int64 { return d.ID }))
}

func (s *Server) warningStats(c *fiber.Ctx) error {
	f, err := warningFilter(c)
	if err != nil {
		return err
	}
	counts, err := s.warnings.Outcomes(c.UserContext(), s.actor(c), s.scope, f)
	if err != nil {
		return err
	}
	total, unhandled := 0, counts[""]
	byOutcome := map[string]int{}
	for k, v := range counts {
		total += v
		if k != "" {
			byOutcome[k] = v
		}
	}
	return c.JSON(fiber.Map{"total": total, "unhandled": unhandled, "by_outcome": byOutcome})
}

// actOnWarning serves /warnings/{id}/acknowledge, /handle and /close.
func (s *Server) actOnWarning(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		var body struct {
			Outcome string `json:"outcome"`
			Notes   string `json:"notes"`
		}
		if len(c.Body()) > 0 {
			if err := s.decodeJSON(c, &body); err != nil {
				return err
			}
		}
		x, err := s.warnings.Act(c.UserContext(), s.actor(c), s.scope, id, action, w.Outcome(body.Outcome), body.Notes)
		if err != nil {
			return err
		}
		return c.JSON(toWarningDTO(x, s.loc))
	}
}
