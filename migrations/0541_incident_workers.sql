-- The justice officers and legal-service workers brought into an incident,
-- and their part (opinion).
CREATE TABLE IF NOT EXISTS incident_workers (
  id           {{pk}},
  incident_id  BIGINT        NOT NULL,
  user_id      BIGINT        NOT NULL,
  org_id       BIGINT        NOT NULL,
  name         VARCHAR(100)  NOT NULL,
  role         VARCHAR(32)   NOT NULL,
  invited_by   BIGINT        NOT NULL,
  invited_at   {{datetime}}  NOT NULL,
  opinion      VARCHAR(4000) NOT NULL,
  assisted_at  {{datetime}}  NULL
) {{table}};
CREATE UNIQUE INDEX uq_incident_workers ON incident_workers (incident_id, user_id);
CREATE INDEX idx_incident_workers_user ON incident_workers (user_id, incident_id);
