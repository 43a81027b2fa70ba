-- People a host removed from a room or denied from its lobby: no token and
-- no join for them in that room again, on any instance, after any restart.
CREATE TABLE IF NOT EXISTS room_removals (
  room_id    VARCHAR(64)  NOT NULL,
  user_id    BIGINT       NOT NULL,
  removed_at {{datetime}} NOT NULL,
  PRIMARY KEY (room_id, user_id)
) {{table}};
