-- The sittings of a mediation.
CREATE TABLE IF NOT EXISTS record_sessions (
  id         {{pk}},
  record_id  BIGINT        NOT NULL,
  held_at    {{datetime}}  NOT NULL,
  place      VARCHAR(200)  NOT NULL,
  room_id    VARCHAR(64)   NOT NULL,
  attendees  TEXT          NOT NULL,
  summary    TEXT          NOT NULL
) {{table}};
CREATE INDEX idx_record_sessions_record ON record_sessions (record_id);
