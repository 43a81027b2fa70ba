-- Monthly law-firm assessments: the computed grade from the indicators,
-- and a supervisor's override with its reason.
CREATE TABLE IF NOT EXISTS firm_assessments (
  id              {{pk}},
  firm_id         BIGINT       NOT NULL,
  month           VARCHAR(7)   NOT NULL,
  cases           INT          NOT NULL,
  success_rate    DOUBLE       NOT NULL,
  satisfaction    DOUBLE       NOT NULL,
  attendance_rate DOUBLE       NOT NULL,
  score           DOUBLE       NOT NULL,
  computed        VARCHAR(16)  NOT NULL,
  override        VARCHAR(16)  NOT NULL,
  override_reason VARCHAR(500) NOT NULL,
  overridden_by   BIGINT       NOT NULL,
  updated_at      {{datetime}} NOT NULL,
  version         INT          NOT NULL
) {{table}};
CREATE UNIQUE INDEX uq_firm_assessments ON firm_assessments (firm_id, month);
