-- The kinds of the special population register (特殊人群): four built in,
-- admins add more.
CREATE TABLE IF NOT EXISTS special_kinds (
  code       VARCHAR(32)  NOT NULL PRIMARY KEY,
  name       VARCHAR(50)  NOT NULL,
  builtin    BOOLEAN      NOT NULL,
  created_at {{datetime}} NOT NULL
) {{table}};
