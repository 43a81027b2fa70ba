-- A unit's dispatch choices: free claiming or automatic assignment, its
-- working hours for SLA clocks, and the round-robin turn.
CREATE TABLE IF NOT EXISTS unit_dispatch (
  unit_id    BIGINT       NOT NULL PRIMARY KEY,
  assignment VARCHAR(16)  NOT NULL,
  hours      VARCHAR(16)  NOT NULL,
  weekends   BOOLEAN      NOT NULL,
  turn       BIGINT       NOT NULL,
  updated_at {{datetime}} NOT NULL
) {{table}};
