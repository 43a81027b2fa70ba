-- The history of each detainee's risk label: every change, by intake,
-- behaviour, staff override or a settled dispute.
CREATE TABLE IF NOT EXISTS detainee_labels (
  id          {{pk}},
  detainee_id BIGINT       NOT NULL,
  at          {{datetime}} NOT NULL,
  actor_id    BIGINT       NOT NULL,
  from_label  VARCHAR(16)  NOT NULL,
  to_label    VARCHAR(16)  NOT NULL,
  score       INT          NOT NULL,
  source      VARCHAR(16)  NOT NULL,
  reason      VARCHAR(500) NOT NULL
) {{table}};
CREATE INDEX idx_detainee_labels ON detainee_labels (detainee_id, id);
