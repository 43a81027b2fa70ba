-- Each approval or return of a record, with the reviewer's comment.
CREATE TABLE IF NOT EXISTS record_reviews (
  id          {{pk}},
  record_id   BIGINT        NOT NULL,
  reviewer_id BIGINT        NOT NULL,
  stage       VARCHAR(32)   NOT NULL,
  approved    BOOLEAN       NOT NULL,
  comment     VARCHAR(2000) NOT NULL,
  at          {{datetime}}  NOT NULL
) {{table}};
CREATE INDEX idx_record_reviews_record ON record_reviews (record_id, id);
