-- Police incidents a legal worker is brought into (深度介入接处警): a dispute
-- call a station handled, how it ended and the mediation case it became.
CREATE TABLE IF NOT EXISTS incidents (
  id           {{pk}},
  station_id   BIGINT        NOT NULL,
  officer_id   BIGINT        NOT NULL,
  call_no      VARCHAR(40)   NOT NULL,
  case_type    VARCHAR(16)   NOT NULL,
  summary      VARCHAR(2000) NOT NULL,
  place        VARCHAR(200)  NOT NULL,
  occurred_at  {{datetime}}  NOT NULL,
  state        VARCHAR(16)   NOT NULL,
  outcome      VARCHAR(1000) NOT NULL,
  request_id   BIGINT        NOT NULL,
  created_at   {{datetime}}  NOT NULL,
  updated_at   {{datetime}}  NOT NULL,
  version      INT           NOT NULL
) {{table}};
CREATE INDEX idx_incidents_station ON incidents (station_id, id);
CREATE INDEX idx_incidents_created ON incidents (created_at);
