-- Station pairing (包联): a cadre paired with a police station. slot is 0
-- while the pairing is active and the row's own ID once it ended, so that a
-- station has at most one active pairing.
CREATE TABLE IF NOT EXISTS station_pairings (
  id          {{pk}},
  cadre_id    BIGINT       NOT NULL,
  cadre_name  VARCHAR(100) NOT NULL,
  level       VARCHAR(16)  NOT NULL,
  station_id  BIGINT       NOT NULL,
  slot        BIGINT       NOT NULL,
  created_by  BIGINT       NOT NULL,
  created_at  {{datetime}} NOT NULL,
  ended_at    {{datetime}} NULL
) {{table}};
CREATE UNIQUE INDEX uq_station_pairings_active ON station_pairings (station_id, slot);
CREATE INDEX idx_station_pairings_cadre ON station_pairings (cadre_id);
