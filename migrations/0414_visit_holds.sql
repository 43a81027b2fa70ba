-- A seat held for a family member while they fill in the booking form:
-- active until expires_at, then used (it became booking_id), released or
-- expired (its seat given back).
CREATE TABLE IF NOT EXISTS visit_holds (
  id          {{pk}},
  slot_id     BIGINT       NOT NULL,
  user_id     BIGINT       NOT NULL,
  detainee_id BIGINT       NOT NULL,
  state       VARCHAR(16)  NOT NULL,
  expires_at  {{datetime}} NOT NULL,
  booking_id  BIGINT       NOT NULL,
  created_at  {{datetime}} NOT NULL
) {{table}};
CREATE INDEX idx_visit_holds_slot ON visit_holds (slot_id, state, expires_at);
CREATE INDEX idx_visit_holds_user ON visit_holds (user_id, state);
CREATE INDEX idx_visit_holds_state ON visit_holds (state, expires_at);
