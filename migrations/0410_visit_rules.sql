-- Visit booking rules of a detention centre (会见预约规则); a centre without
-- a row uses the defaults of the code (1–14 days ahead, 10-minute holds, 3
-- visitors, 24-hour cut-off, 3 no-shows suspend for 30 days).
CREATE TABLE IF NOT EXISTS visit_rules (
  centre_id      BIGINT       NOT NULL PRIMARY KEY,
  min_days_ahead INT          NOT NULL,
  max_days_ahead INT          NOT NULL,
  hold_minutes   INT          NOT NULL,
  max_visitors   INT          NOT NULL,
  cancel_hours   INT          NOT NULL,
  no_show_limit  INT          NOT NULL,
  suspend_days   INT          NOT NULL,
  updated_at     {{datetime}} NOT NULL
) {{table}};
