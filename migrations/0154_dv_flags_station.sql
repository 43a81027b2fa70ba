-- A station's staff list their standing flags.
CREATE INDEX idx_dv_flags_station ON dv_flags (station_id, cleared_at, id);
