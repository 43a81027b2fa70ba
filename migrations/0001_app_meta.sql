-- Key/value facts about this installation: when it was created, whether demo
-- data was seeded. Read at start-up.
CREATE TABLE IF NOT EXISTS app_meta (
  meta_key   VARCHAR(64)  NOT NULL PRIMARY KEY,
  meta_value VARCHAR(255) NOT NULL,
  updated_at {{datetime}} NOT NULL
) {{table}};
