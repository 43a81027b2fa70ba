-- Family visit bookings (会见预约). Visitors are a JSON list of
-- {name, id_number, phone} with ID numbers masked (the full number is never
-- stored). starts_at/ends_at repeat the slot's, for lists and reminders.
CREATE TABLE IF NOT EXISTS visit_bookings (
  id           {{pk}},
  centre_id    BIGINT        NOT NULL,
  detainee_id  BIGINT        NOT NULL,
  slot_id      BIGINT        NOT NULL,
  booker_id    BIGINT        NOT NULL,
  relationship VARCHAR(20)   NOT NULL,
  visitors     VARCHAR(2000) NOT NULL,
  mode         VARCHAR(16)   NOT NULL,
  starts_at    {{datetime}}  NOT NULL,
  ends_at      {{datetime}}  NOT NULL,
  status       VARCHAR(16)   NOT NULL,
  reason       VARCHAR(200)  NOT NULL,
  room_id      VARCHAR(64)   NOT NULL,
  decided_by   BIGINT        NOT NULL,
  decided_at   {{datetime}}  NULL,
  cancelled_by BIGINT        NOT NULL,
  cancelled_at {{datetime}}  NULL,
  marked_by    BIGINT        NOT NULL,
  marked_at    {{datetime}}  NULL,
  created_at   {{datetime}}  NOT NULL,
  updated_at   {{datetime}}  NOT NULL,
  version      INT           NOT NULL
) {{table}};
CREATE INDEX idx_visit_bookings_booker ON visit_bookings (booker_id, id);
CREATE INDEX idx_visit_bookings_centre ON visit_bookings (centre_id, id);
CREATE INDEX idx_visit_bookings_detainee ON visit_bookings (detainee_id, status, starts_at);
CREATE INDEX idx_visit_bookings_slot ON visit_bookings (slot_id, detainee_id, status);
CREATE INDEX idx_visit_bookings_starts ON visit_bookings (status, starts_at);
