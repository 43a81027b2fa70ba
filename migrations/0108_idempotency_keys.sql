-- Idempotency-Key of creates: the same key and body give the first result.
CREATE TABLE IF NOT EXISTS idempotency_keys (
  id            {{pk}},
  scope         VARCHAR(64)  NOT NULL,
  idem_key      VARCHAR(128) NOT NULL,
  request_hash  VARCHAR(64)  NOT NULL,
  resource_type VARCHAR(32)  NOT NULL,
  resource_id   BIGINT       NOT NULL,
  created_at    {{datetime}} NOT NULL
) {{table}};
CREATE UNIQUE INDEX uq_idempotency_scope_key ON idempotency_keys (scope, idem_key);
CREATE INDEX idx_idempotency_created ON idempotency_keys (created_at);
