-- The timeline of a request: every transition and act, with who, when, why.
CREATE TABLE IF NOT EXISTS request_events (
  id          {{pk}},
  request_id  BIGINT        NOT NULL,
  at          {{datetime}}  NOT NULL,
  actor_id    BIGINT        NOT NULL,
  actor_role  VARCHAR(32)   NOT NULL,
  type        VARCHAR(40)   NOT NULL,
  from_status VARCHAR(32)   NOT NULL,
  to_status   VARCHAR(32)   NOT NULL,
  note        VARCHAR(2000) NOT NULL
) {{table}};
CREATE INDEX idx_request_events_request ON request_events (request_id, id);
