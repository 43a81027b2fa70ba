-- Video mediation rooms: each belongs to a case (or, later, a remote visit
-- booking), with a time window and the people invited, in their roles.
CREATE TABLE IF NOT EXISTS rooms (
  id         VARCHAR(64)  NOT NULL PRIMARY KEY,
  owner_type VARCHAR(16)  NOT NULL,
  owner_id   BIGINT       NOT NULL,
  not_before {{datetime}} NOT NULL,
  not_after  {{datetime}} NOT NULL,
  created_by BIGINT       NOT NULL,
  created_at {{datetime}} NOT NULL
) {{table}};
CREATE INDEX idx_rooms_owner ON rooms (owner_type, owner_id);
CREATE TABLE IF NOT EXISTS room_invites (
  room_id VARCHAR(64) NOT NULL,
  user_id BIGINT      NOT NULL,
  role    VARCHAR(32) NOT NULL,
  PRIMARY KEY (room_id, user_id)
) {{table}};
