-- People a host invited into a video room after it was opened (the other
-- party, an interpreter, village or street officials, the home-station
-- officer, observers), with what they were invited as. Each also has a
-- room_invites row (their role in the room); this keeps who, as what and
-- by whom.
CREATE TABLE IF NOT EXISTS room_invitations (
  id         {{pk}},
  room_id    VARCHAR(64)  NOT NULL,
  kind       VARCHAR(32)  NOT NULL,
  user_id    BIGINT       NOT NULL,
  name       VARCHAR(100) NOT NULL,
  invited_by BIGINT       NOT NULL,
  created_at {{datetime}} NOT NULL
) {{table}};
CREATE INDEX idx_room_invitations_room ON room_invitations (room_id, id);
