-- The consultation thread of a joint mediation (情况会商). attachment_ids is
-- a comma list of attachments of the mediation's request.
CREATE TABLE IF NOT EXISTS joint_mediation_messages (
  id             {{pk}},
  mediation_id   BIGINT        NOT NULL,
  author_id      BIGINT        NOT NULL,
  author_org_id  BIGINT        NOT NULL,
  body           VARCHAR(2000) NOT NULL,
  attachment_ids VARCHAR(500)  NOT NULL,
  created_at     {{datetime}}  NOT NULL
) {{table}};
CREATE INDEX idx_joint_mediation_messages ON joint_mediation_messages (mediation_id, id);
