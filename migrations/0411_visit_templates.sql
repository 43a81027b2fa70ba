-- Weekly visit slot templates of a centre: every weekday (1 Monday … 7
-- Sunday) between valid_from and valid_to ('' for open-ended), local clock
-- times. Staff replace a centre's set as a whole.
CREATE TABLE IF NOT EXISTS visit_templates (
  id         {{pk}},
  centre_id  BIGINT       NOT NULL,
  weekday    INT          NOT NULL,
  start_time VARCHAR(5)   NOT NULL,
  end_time   VARCHAR(5)   NOT NULL,
  mode       VARCHAR(16)  NOT NULL,
  capacity   INT          NOT NULL,
  valid_from VARCHAR(10)  NOT NULL,
  valid_to   VARCHAR(10)  NOT NULL,
  created_by BIGINT       NOT NULL,
  created_at {{datetime}} NOT NULL
) {{table}};
CREATE INDEX idx_visit_templates_centre ON visit_templates (centre_id);
