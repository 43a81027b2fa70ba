-- The expert pool (专业人才库); specialties is a JSON array.
CREATE TABLE IF NOT EXISTS experts (
  id           {{pk}},
  user_id      BIGINT        NOT NULL,
  unit_id      BIGINT        NOT NULL,
  name         VARCHAR(100)  NOT NULL,
  kind         VARCHAR(32)   NOT NULL,
  specialties  VARCHAR(1000) NOT NULL,
  bio          VARCHAR(1000) NOT NULL,
  active       BOOLEAN       NOT NULL,
  created_at   {{datetime}}  NOT NULL,
  updated_at   {{datetime}}  NOT NULL
) {{table}};
CREATE UNIQUE INDEX uq_experts_user ON experts (user_id);
