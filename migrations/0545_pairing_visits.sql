-- A pairing cadre's unannounced visits (四不两直); checked is a JSON array.
CREATE TABLE IF NOT EXISTS pairing_visits (
  id          {{pk}},
  pairing_id  BIGINT        NOT NULL,
  cadre_id    BIGINT        NOT NULL,
  station_id  BIGINT        NOT NULL,
  visited_at  {{datetime}}  NOT NULL,
  checked     VARCHAR(2000) NOT NULL,
  summary     VARCHAR(2000) NOT NULL,
  created_at  {{datetime}}  NOT NULL
) {{table}};
CREATE INDEX idx_pairing_visits_pairing ON pairing_visits (pairing_id, visited_at);
CREATE INDEX idx_pairing_visits_station ON pairing_visits (station_id, visited_at);
