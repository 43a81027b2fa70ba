-- Facts the early-warning counters count (filings, risk assessments), written
-- in the transaction of the change they report: Redis counters are rebuilt
-- from this table after a Redis loss.
CREATE TABLE IF NOT EXISTS warning_signals (
  id          {{pk}},
  type        VARCHAR(32)  NOT NULL,
  request_id  BIGINT       NOT NULL,
  request_kind VARCHAR(16) NOT NULL,
  loan_related BOOLEAN     NOT NULL,
  domestic_violence BOOLEAN NOT NULL,
  person_id   BIGINT       NOT NULL,
  category    VARCHAR(32)  NOT NULL,
  station_id  BIGINT       NOT NULL,
  place       VARCHAR(200) NOT NULL,
  risk_score  INT          NOT NULL,
  at          {{datetime}} NOT NULL,
  counted_at  {{datetime}} NULL
) {{table}};
CREATE INDEX idx_warning_signals_at ON warning_signals (at);
CREATE INDEX idx_warning_signals_uncounted ON warning_signals (counted_at, id);
