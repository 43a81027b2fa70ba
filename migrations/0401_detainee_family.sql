-- Citizens registered as family of a detainee: who may book visits and file
-- on their behalf. One link per person and detainee.
CREATE TABLE IF NOT EXISTS detainee_family (
  id           {{pk}},
  detainee_id  BIGINT       NOT NULL,
  user_id      BIGINT       NOT NULL,
  relationship VARCHAR(20)  NOT NULL,
  linked_by    BIGINT       NOT NULL,
  created_at   {{datetime}} NOT NULL
) {{table}};
CREATE UNIQUE INDEX uq_detainee_family ON detainee_family (detainee_id, user_id);
CREATE INDEX idx_detainee_family_user ON detainee_family (user_id);
