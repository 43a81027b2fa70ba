-- Days a centre takes no visits (local dates, 2006-01-02).
CREATE TABLE IF NOT EXISTS visit_blocked_dates (
  id         {{pk}},
  centre_id  BIGINT       NOT NULL,
  day        VARCHAR(10)  NOT NULL,
  reason     VARCHAR(200) NOT NULL,
  created_by BIGINT       NOT NULL,
  created_at {{datetime}} NOT NULL
) {{table}};
CREATE UNIQUE INDEX uq_visit_blocked_dates ON visit_blocked_dates (centre_id, day);
