-- The follow-up after a release (跟踪回访): visits and a social-behaviour
-- assessment by the home station, signed off by the centre (结案销号).
-- One per detainee.
CREATE TABLE IF NOT EXISTS follow_ups (
  id              {{pk}},
  detainee_id     BIGINT        NOT NULL,
  centre_id       BIGINT        NOT NULL,
  station_id      BIGINT        NOT NULL,
  state           VARCHAR(16)   NOT NULL,
  released_on     {{datetime}}  NOT NULL,
  due_at          {{datetime}}  NOT NULL,
  assessment      VARCHAR(8)    NOT NULL,
  assessment_note VARCHAR(2000) NOT NULL,
  assessed_by     BIGINT        NOT NULL,
  assessed_at     {{datetime}}  NULL,
  closed_by       BIGINT        NOT NULL,
  closed_at       {{datetime}}  NULL,
  close_note      VARCHAR(1000) NOT NULL,
  created_at      {{datetime}}  NOT NULL,
  updated_at      {{datetime}}  NOT NULL,
  version         INT           NOT NULL
) {{table}};
CREATE UNIQUE INDEX uq_follow_ups_detainee ON follow_ups (detainee_id);
CREATE INDEX idx_follow_ups_station ON follow_ups (station_id, state);
