-- Who led or assisted each case, kept after a reassignment: the conflict
-- rule (a stationed lawyer may not represent a party in a matter they
-- mediated or consulted on) reads it.
CREATE TABLE IF NOT EXISTS case_involvements (
  id         {{pk}},
  person_id  BIGINT       NOT NULL,
  request_id BIGINT       NOT NULL,
  role       VARCHAR(16)  NOT NULL,
  at         {{datetime}} NOT NULL
) {{table}};
