-- Experts invited to a case (a mediation request or a police incident).
CREATE TABLE IF NOT EXISTS expert_invitations (
  id              {{pk}},
  expert_id       BIGINT        NOT NULL,
  expert_user_id  BIGINT        NOT NULL,
  resource_type   VARCHAR(16)   NOT NULL,
  resource_id     BIGINT        NOT NULL,
  purpose         VARCHAR(32)   NOT NULL,
  note            VARCHAR(1000) NOT NULL,
  state           VARCHAR(16)   NOT NULL,
  invited_by      BIGINT        NOT NULL,
  reply           VARCHAR(4000) NOT NULL,
  opinion         VARCHAR(4000) NOT NULL,
  created_at      {{datetime}}  NOT NULL,
  answered_at     {{datetime}}  NULL,
  concluded_at    {{datetime}}  NULL,
  updated_at      {{datetime}}  NOT NULL,
  version         INT           NOT NULL
) {{table}};
CREATE INDEX idx_expert_invitations_case ON expert_invitations (resource_type, resource_id);
CREATE INDEX idx_expert_invitations_user ON expert_invitations (expert_user_id, id);
