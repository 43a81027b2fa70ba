-- The suggested tags of a station or a district (标签词表); staff pick from
-- the station's and its district's, or write a free tag.
CREATE TABLE IF NOT EXISTS tag_vocabulary (
  id         {{pk}},
  org_id     BIGINT       NOT NULL,
  name       VARCHAR(20)  NOT NULL,
  created_by BIGINT       NOT NULL,
  created_at {{datetime}} NOT NULL
) {{table}};
