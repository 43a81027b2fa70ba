-- The configurable list of dispute categories (矛盾纠纷类别).
CREATE TABLE IF NOT EXISTS categories (
  code       VARCHAR(32)  NOT NULL PRIMARY KEY,
  label      VARCHAR(64)  NOT NULL,
  sort_order INT          NOT NULL,
  active     BOOLEAN      NOT NULL,
  created_at {{datetime}} NOT NULL
) {{table}};
