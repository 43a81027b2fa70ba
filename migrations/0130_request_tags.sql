-- Self-chosen tags (自选标签) staff put on a case, for automatic grouping in
-- search and statistics. Tags are short text, not IDs of a vocabulary entry:
-- free tags are allowed and a case keeps its tag when a suggestion goes.
CREATE TABLE IF NOT EXISTS request_tags (
  id         {{pk}},
  request_id BIGINT       NOT NULL,
  tag        VARCHAR(20)  NOT NULL,
  added_by   BIGINT       NOT NULL,
  added_at   {{datetime}} NOT NULL
) {{table}};
