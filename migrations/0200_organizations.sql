-- The organisation tree (district bureau → stations, detention centres,
-- justice offices) and, beside it, law firms and partner units.
CREATE TABLE IF NOT EXISTS organizations (
  id         {{pk}},
  parent_id  BIGINT       NOT NULL,
  kind       VARCHAR(32)  NOT NULL,
  name       VARCHAR(100) NOT NULL,
  path       VARCHAR(500) NOT NULL,
  created_at {{datetime}} NOT NULL,
  updated_at {{datetime}} NOT NULL
) {{table}};
CREATE INDEX idx_organizations_parent ON organizations (parent_id);
CREATE INDEX idx_organizations_path ON organizations (path);
CREATE INDEX idx_organizations_kind ON organizations (kind);
