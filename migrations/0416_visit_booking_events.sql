-- The history of a visit booking: every action with who, when and the
-- status it moved between.
CREATE TABLE IF NOT EXISTS visit_booking_events (
  id          {{pk}},
  booking_id  BIGINT       NOT NULL,
  at          {{datetime}} NOT NULL,
  actor_id    BIGINT       NOT NULL,
  action      VARCHAR(32)  NOT NULL,
  from_status VARCHAR(16)  NOT NULL,
  to_status   VARCHAR(16)  NOT NULL,
  detail      VARCHAR(500) NOT NULL
) {{table}};
CREATE INDEX idx_visit_booking_events_booking ON visit_booking_events (booking_id, id);
