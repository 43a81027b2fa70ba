-- The special population register: one row per person, their area, people
-- responsible, risk level and contact plan. The ID number is kept masked
-- and as an HMAC only.
CREATE TABLE IF NOT EXISTS special_people (
  id                {{pk}},
  area_id           BIGINT        NOT NULL,
  kind              VARCHAR(32)   NOT NULL,
  name              VARCHAR(50)   NOT NULL,
  id_number_masked  VARCHAR(32)   NOT NULL,
  id_number_hash    VARCHAR(64)   NOT NULL,
  address           VARCHAR(200)  NOT NULL,
  risk_level        VARCHAR(8)    NOT NULL,
  officer_id        BIGINT        NOT NULL,
  social_worker_id  BIGINT        NOT NULL,
  legal_steward_id  BIGINT        NOT NULL,
  visit_every_days  INT           NOT NULL,
  last_contact_at   {{datetime}}  NULL,
  next_contact_due  {{datetime}}  NOT NULL,
  overdue_since     {{datetime}}  NULL,
  state             VARCHAR(16)   NOT NULL,
  note              VARCHAR(2000) NOT NULL,
  created_by        BIGINT        NOT NULL,
  created_at        {{datetime}}  NOT NULL,
  updated_at        {{datetime}}  NOT NULL,
  version           INT           NOT NULL
) {{table}};
CREATE INDEX idx_special_people_area ON special_people (area_id, state, id);
CREATE INDEX idx_special_people_due ON special_people (state, next_contact_due);
CREATE INDEX idx_special_people_hash ON special_people (id_number_hash);
