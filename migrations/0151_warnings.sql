-- Raised warnings. dedupe_key (rule, subject, triggering event) stops two
-- instances evaluating the same event from raising it twice.
CREATE TABLE IF NOT EXISTS warnings (
  id          {{pk}},
  rule_id     BIGINT        NOT NULL,
  rule_kind   VARCHAR(32)   NOT NULL,
  rule_name   VARCHAR(100)  NOT NULL,
  subject     VARCHAR(200)  NOT NULL,
  severity    VARCHAR(16)   NOT NULL,
  station_id  BIGINT        NOT NULL,
  event_ids   TEXT          NOT NULL,
  event_count INT           NOT NULL,
  status      VARCHAR(16)   NOT NULL,
  outcome     VARCHAR(32)   NOT NULL,
  notes       VARCHAR(2000) NOT NULL,
  dedupe_key  VARCHAR(255)  NOT NULL,
  version     INT           NOT NULL,
  raised_at   {{datetime}}  NOT NULL,
  updated_at  {{datetime}}  NOT NULL
) {{table}};
CREATE UNIQUE INDEX uq_warnings_dedupe ON warnings (dedupe_key);
CREATE INDEX idx_warnings_rule_subject ON warnings (rule_id, subject, raised_at);
CREATE INDEX idx_warnings_station_status ON warnings (station_id, status, id);
CREATE INDEX idx_warnings_raised ON warnings (raised_at);
