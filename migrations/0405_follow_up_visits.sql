-- The visits of a follow-up: home, phone, video, interview.
CREATE TABLE IF NOT EXISTS follow_up_visits (
  id           {{pk}},
  follow_up_id BIGINT        NOT NULL,
  visited_on   {{datetime}}  NOT NULL,
  method       VARCHAR(16)   NOT NULL,
  note         VARCHAR(2000) NOT NULL,
  recorded_by  BIGINT        NOT NULL,
  created_at   {{datetime}}  NOT NULL
) {{table}};
CREATE INDEX idx_follow_up_visits ON follow_up_visits (follow_up_id, id);
