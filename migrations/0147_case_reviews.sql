-- Case review and learning (调解案例点评学习): a supervisor's pick of a
-- concluded case as an example, with a comment and a category; the
-- district's staff read them as a library. A review withdrawn is kept for
-- the record; withdrawn_key is 0 while the review stands and its own id once
-- withdrawn, so that a unique index allows one standing review per case.
CREATE TABLE IF NOT EXISTS case_reviews (
  id              {{pk}},
  request_id      BIGINT        NOT NULL,
  station_id      BIGINT        NOT NULL,
  district_id     BIGINT        NOT NULL,
  category        VARCHAR(32)   NOT NULL,
  comment         VARCHAR(2000) NOT NULL,
  reviewer_id     BIGINT        NOT NULL,
  created_at      {{datetime}}  NOT NULL,
  withdrawn_by    BIGINT        NOT NULL,
  withdrawn_at    {{datetime}}  NULL,
  withdraw_reason VARCHAR(500)  NOT NULL,
  withdrawn_key   BIGINT        NOT NULL
) {{table}};
