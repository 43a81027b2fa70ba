-- A special-population person's history: registration, visits, help,
-- state changes, transfers between areas, missed contact plans.
CREATE TABLE IF NOT EXISTS special_person_records (
  id         {{pk}},
  person_id  BIGINT        NOT NULL,
  area_id    BIGINT        NOT NULL,
  type       VARCHAR(16)   NOT NULL,
  at         {{datetime}}  NOT NULL,
  actor_id   BIGINT        NOT NULL,
  method     VARCHAR(16)   NOT NULL,
  note       VARCHAR(2000) NOT NULL,
  from_state VARCHAR(16)   NOT NULL,
  to_state   VARCHAR(16)   NOT NULL,
  from_area  BIGINT        NOT NULL,
  to_area    BIGINT        NOT NULL
) {{table}};
CREATE INDEX idx_special_person_records_person ON special_person_records (person_id, id);
CREATE INDEX idx_special_person_records_area ON special_person_records (area_id, at);
