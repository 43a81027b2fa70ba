-- Lawyers' duty at stations: each station's roster (absent: the default
-- hours) and one attendance row per lawyer, station and local day.
CREATE TABLE IF NOT EXISTS duty_rosters (
  station_id BIGINT       NOT NULL PRIMARY KEY,
  from_min   INT          NOT NULL,
  to_min     INT          NOT NULL,
  weekdays   VARCHAR(7)   NOT NULL,
  updated_at {{datetime}} NOT NULL
) {{table}};
CREATE TABLE IF NOT EXISTS duty_attendance (
  id           {{pk}},
  lawyer_id    BIGINT       NOT NULL,
  station_id   BIGINT       NOT NULL,
  day          VARCHAR(10)  NOT NULL,
  check_in_at  {{datetime}} NOT NULL,
  check_out_at {{datetime}} NULL,
  late         BOOLEAN      NOT NULL,
  early_leave  BOOLEAN      NOT NULL
) {{table}};
CREATE UNIQUE INDEX uq_duty_attendance ON duty_attendance (lawyer_id, station_id, day);
CREATE INDEX idx_duty_attendance_day ON duty_attendance (day, lawyer_id);
