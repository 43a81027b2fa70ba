-- Joint analysis meetings (会商研判): an area's monthly meeting or the
-- district's quarterly joint meeting (联席会), with the agenda prepared when
-- planned (JSON) and the minutes.
CREATE TABLE IF NOT EXISTS joint_meetings (
  id           {{pk}},
  level        VARCHAR(16)   NOT NULL,
  area_id      BIGINT        NOT NULL,
  district_id  BIGINT        NOT NULL,
  period       VARCHAR(16)   NOT NULL,
  title        VARCHAR(100)  NOT NULL,
  scheduled_at {{datetime}}  NOT NULL,
  state        VARCHAR(16)   NOT NULL,
  agenda       {{longtext}}  NOT NULL,
  held_at      {{datetime}}  NULL,
  place        VARCHAR(100)  NOT NULL,
  attendees    VARCHAR(1000) NOT NULL,
  minutes      {{longtext}}  NOT NULL,
  decisions    {{longtext}}  NOT NULL,
  created_by   BIGINT        NOT NULL,
  created_at   {{datetime}}  NOT NULL,
  updated_at   {{datetime}}  NOT NULL,
  version      INT           NOT NULL
) {{table}};
CREATE UNIQUE INDEX uq_joint_meetings_period ON joint_meetings (level, area_id, district_id, period);
