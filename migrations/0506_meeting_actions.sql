-- A joint meeting's action items, each with its work order (meeting_action).
CREATE TABLE IF NOT EXISTS meeting_actions (
  id          {{pk}},
  meeting_id  BIGINT        NOT NULL,
  title       VARCHAR(200)  NOT NULL,
  assignee_id BIGINT        NOT NULL,
  unit_id     BIGINT        NOT NULL,
  due_at      {{datetime}}  NOT NULL,
  state       VARCHAR(16)   NOT NULL,
  outcome     VARCHAR(500)  NOT NULL,
  closed_by   BIGINT        NOT NULL,
  closed_at   {{datetime}}  NULL,
  created_by  BIGINT        NOT NULL,
  created_at  {{datetime}}  NOT NULL
) {{table}};
CREATE INDEX idx_meeting_actions_meeting ON meeting_actions (meeting_id, id);
CREATE INDEX idx_meeting_actions_open ON meeting_actions (state, due_at);
