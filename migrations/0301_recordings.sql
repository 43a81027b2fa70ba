-- Server-side recordings, one row per participant track; a row exists from
-- the start marker, so an interrupted recording is still known.
CREATE TABLE IF NOT EXISTS recordings (
  id             VARCHAR(40)  NOT NULL PRIMARY KEY,
  room_id        VARCHAR(64)  NOT NULL,
  owner_type     VARCHAR(16)  NOT NULL,
  owner_id       BIGINT       NOT NULL,
  participant_id VARCHAR(64)  NOT NULL,
  role           VARCHAR(32)  NOT NULL,
  kind           VARCHAR(16)  NOT NULL,
  codec          VARCHAR(32)  NOT NULL,
  container      VARCHAR(16)  NOT NULL,
  storage_key    VARCHAR(255) NOT NULL,
  started_at     {{datetime}} NOT NULL,
  ended_at       {{datetime}} NULL,
  size_bytes     BIGINT       NOT NULL,
  frames         BIGINT       NOT NULL,
  sha256         VARCHAR(64)  NOT NULL,
  end_reason     VARCHAR(64)  NOT NULL
) {{table}};
CREATE INDEX idx_recordings_room ON recordings (room_id, started_at);
