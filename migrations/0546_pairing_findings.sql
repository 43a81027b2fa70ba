-- The findings of pairing visits (找窟窿) and their rectification (堵窟窿).
CREATE TABLE IF NOT EXISTS pairing_findings (
  id            {{pk}},
  visit_id      BIGINT        NOT NULL,
  pairing_id    BIGINT        NOT NULL,
  station_id    BIGINT        NOT NULL,
  description   VARCHAR(1000) NOT NULL,
  state         VARCHAR(16)   NOT NULL,
  round         INT           NOT NULL,
  note          VARCHAR(1000) NOT NULL,
  rectified_by  BIGINT        NOT NULL,
  rectified_at  {{datetime}}  NULL,
  verified_by   BIGINT        NOT NULL,
  verified_at   {{datetime}}  NULL,
  created_at    {{datetime}}  NOT NULL,
  updated_at    {{datetime}}  NOT NULL,
  version       INT           NOT NULL
) {{table}};
CREATE INDEX idx_pairing_findings_visit ON pairing_findings (visit_id);
CREATE INDEX idx_pairing_findings_station ON pairing_findings (station_id, state);
