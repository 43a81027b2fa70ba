-- The other people in a dispute, as the citizen named them.
CREATE TABLE IF NOT EXISTS request_parties (
  id         {{pk}},
  request_id BIGINT       NOT NULL,
  name       VARCHAR(50)  NOT NULL,
  phone      VARCHAR(20)  NOT NULL,
  relation   VARCHAR(20)  NOT NULL
) {{table}};
CREATE INDEX idx_request_parties_request ON request_parties (request_id);
