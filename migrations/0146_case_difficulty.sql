-- A supervisor's rating of a case's difficulty, 1–5, for its subsidy (seed
-- 000: five tiers); a case without one is paid by its classification's tier.
CREATE TABLE IF NOT EXISTS case_difficulty (
  request_id BIGINT       NOT NULL PRIMARY KEY,
  tier       INT          NOT NULL,
  rated_by   BIGINT       NOT NULL,
  reason     VARCHAR(500) NOT NULL,
  rated_at   {{datetime}} NOT NULL
) {{table}};
