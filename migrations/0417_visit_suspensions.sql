-- A family member's booking at a centre suspended after repeated no-shows.
CREATE TABLE IF NOT EXISTS visit_suspensions (
  id         {{pk}},
  centre_id  BIGINT       NOT NULL,
  user_id    BIGINT       NOT NULL,
  from_at    {{datetime}} NOT NULL,
  until_at   {{datetime}} NOT NULL,
  reason     VARCHAR(200) NOT NULL
) {{table}};
CREATE INDEX idx_visit_suspensions_user ON visit_suspensions (centre_id, user_id, id);
