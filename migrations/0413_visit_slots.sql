-- Bookable visit times, materialised from the templates for the booking
-- horizon. booked counts the seats of active bookings and unexpired holds
-- and never exceeds capacity: every change of it happens with the row
-- locked (SELECT … FOR UPDATE) and a seat is taken only by a conditional
-- UPDATE (booked < capacity). One slot per centre, mode and start.
CREATE TABLE IF NOT EXISTS visit_slots (
  id         {{pk}},
  centre_id  BIGINT       NOT NULL,
  mode       VARCHAR(16)  NOT NULL,
  starts_at  {{datetime}} NOT NULL,
  ends_at    {{datetime}} NOT NULL,
  capacity   INT          NOT NULL,
  booked     INT          NOT NULL,
  closed     BOOLEAN      NOT NULL,
  created_at {{datetime}} NOT NULL,
  updated_at {{datetime}} NOT NULL
) {{table}};
CREATE UNIQUE INDEX uq_visit_slots_start ON visit_slots (centre_id, mode, starts_at);
CREATE INDEX idx_visit_slots_centre_start ON visit_slots (centre_id, starts_at);
