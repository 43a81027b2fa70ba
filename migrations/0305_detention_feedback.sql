-- Feedback (rating 1–5 and a comment) of families on a finished visit and
-- of families and partner units on a decided joint mediation (拘调融合:
-- 服务完成后，用户可通过应用进行意见反馈); once per person and subject.
CREATE TABLE IF NOT EXISTS detention_feedback (
  id           {{pk}},
  centre_id    BIGINT        NOT NULL,
  subject_type VARCHAR(32)   NOT NULL,
  subject_id   BIGINT        NOT NULL,
  user_id      BIGINT        NOT NULL,
  stars        INT           NOT NULL,
  comment      VARCHAR(500)  NOT NULL,
  created_at   {{datetime}}  NOT NULL
) {{table}};
CREATE UNIQUE INDEX uq_detention_feedback ON detention_feedback (subject_type, subject_id, user_id);
CREATE INDEX idx_detention_feedback_centre ON detention_feedback (centre_id, created_at);
