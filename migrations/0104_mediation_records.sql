-- The lead's record of a mediation, reviewed twice before a case may close.
CREATE TABLE IF NOT EXISTS mediation_records (
  id              {{pk}},
  request_id      BIGINT        NOT NULL,
  author_id       BIGINT        NOT NULL,
  outcome         VARCHAR(16)   NOT NULL,
  risk_score      INT           NOT NULL,
  risk_notes      VARCHAR(2000) NOT NULL,
  has_agreement   BOOLEAN       NOT NULL,
  agreement_terms TEXT          NOT NULL,
  amount_fen      BIGINT        NOT NULL,
  judicial        VARCHAR(16)   NOT NULL,
  review_stage    VARCHAR(32)   NOT NULL,
  version         INT           NOT NULL,
  created_at      {{datetime}}  NOT NULL,
  updated_at      {{datetime}}  NOT NULL
) {{table}};
CREATE UNIQUE INDEX uq_mediation_records_request ON mediation_records (request_id);
CREATE INDEX idx_mediation_records_stage ON mediation_records (review_stage);
