-- The citizen's inbox (站内消息): notices about their cases, written in the
-- transaction of the change they report. dedupe_key makes a repeated cause
-- harmless (NULL for a notice that needs no dedupe: NULLs never collide).
-- A user's inbox is read newest first by id, unread or all.
CREATE TABLE IF NOT EXISTS notifications (
  id            {{pk}},
  user_id       BIGINT        NOT NULL,
  kind          VARCHAR(32)   NOT NULL,
  title         VARCHAR(200)  NOT NULL,
  body          VARCHAR(1000) NOT NULL,
  resource_type VARCHAR(32)   NOT NULL,
  resource_id   BIGINT        NOT NULL,
  dedupe_key    VARCHAR(200)  NULL,
  created_at    {{datetime}}  NOT NULL,
  read_at       {{datetime}}  NULL
) {{table}};
CREATE UNIQUE INDEX uq_notifications_dedupe ON notifications (dedupe_key);
CREATE INDEX idx_notifications_user ON notifications (user_id, id);
