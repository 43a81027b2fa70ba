-- The police stations a lawyer or mediator serves.
CREATE TABLE IF NOT EXISTS user_stations (
  user_id    BIGINT NOT NULL,
  station_id BIGINT NOT NULL,
  PRIMARY KEY (user_id, station_id)
) {{table}};
CREATE INDEX idx_user_stations_station ON user_stations (station_id);
