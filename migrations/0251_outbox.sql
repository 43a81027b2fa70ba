-- The transactional outbox: rows written with the change, relayed to Redis
-- Streams after commit and marked sent.
CREATE TABLE IF NOT EXISTS outbox (
  id         {{pk}},
  topic      VARCHAR(100) NOT NULL,
  payload    TEXT         NOT NULL,
  created_at {{datetime}} NOT NULL,
  sent_at    {{datetime}} NULL,
  attempts   INT          NOT NULL
) {{table}};
CREATE INDEX idx_outbox_unsent ON outbox (sent_at, id);
