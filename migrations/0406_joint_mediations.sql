-- Joint mediation (联调联处): a centre pushes a detainee's dispute to partner
-- units; the joint decision and an early release it grounds are kept on the
-- row (participants as a JSON array of names).
CREATE TABLE IF NOT EXISTS joint_mediations (
  id                    {{pk}},
  centre_id             BIGINT        NOT NULL,
  detainee_id           BIGINT        NOT NULL,
  request_id            BIGINT        NOT NULL,
  business_line         VARCHAR(32)   NOT NULL,
  summary               VARCHAR(2000) NOT NULL,
  state                 VARCHAR(16)   NOT NULL,
  created_by            BIGINT        NOT NULL,
  decided_at            {{datetime}}  NULL,
  decision_place        VARCHAR(200)  NOT NULL,
  decision_participants VARCHAR(2000) NOT NULL,
  decision_outcome      VARCHAR(8)    NOT NULL,
  decision_notes        VARCHAR(2000) NOT NULL,
  decided_by            BIGINT        NOT NULL,
  early_release_kind    VARCHAR(32)   NOT NULL,
  early_release_days    INT           NOT NULL,
  early_release_note    VARCHAR(1000) NOT NULL,
  early_release_by      BIGINT        NOT NULL,
  early_release_at      {{datetime}}  NULL,
  created_at            {{datetime}}  NOT NULL,
  updated_at            {{datetime}}  NOT NULL,
  version               INT           NOT NULL
) {{table}};
CREATE INDEX idx_joint_mediations_detainee ON joint_mediations (detainee_id);
CREATE INDEX idx_joint_mediations_centre ON joint_mediations (centre_id, id);
