-- Append-only audit log: who did what to which resource, when, from where.
CREATE TABLE IF NOT EXISTS audit_log (
  id            {{pk}},
  at            {{datetime}}  NOT NULL,
  actor_id      BIGINT        NOT NULL,
  actor_role    VARCHAR(32)   NOT NULL,
  action        VARCHAR(64)   NOT NULL,
  resource_type VARCHAR(32)   NOT NULL,
  resource_id   BIGINT        NOT NULL,
  detail        VARCHAR(500)  NOT NULL,
  ip            VARCHAR(64)   NOT NULL,
  request_id    VARCHAR(64)   NOT NULL
) {{table}};
CREATE INDEX idx_audit_actor ON audit_log (actor_id, id);
CREATE INDEX idx_audit_resource ON audit_log (resource_type, resource_id, id);
CREATE INDEX idx_audit_at ON audit_log (at);
