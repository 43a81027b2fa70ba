-- How a detainee behaves in detention (在所表现); negative kinds raise the
-- risk score.
CREATE TABLE IF NOT EXISTS detainee_behaviours (
  id          {{pk}},
  detainee_id BIGINT        NOT NULL,
  happened_on {{datetime}}  NOT NULL,
  kind        VARCHAR(16)   NOT NULL,
  note        VARCHAR(1000) NOT NULL,
  recorded_by BIGINT        NOT NULL,
  created_at  {{datetime}}  NOT NULL
) {{table}};
CREATE INDEX idx_detainee_behaviours ON detainee_behaviours (detainee_id, id);
