-- Compensation calculations kept on an incident: the inputs and the
-- itemised result as JSON, the totals in fen.
CREATE TABLE IF NOT EXISTS compensation_calculations (
  id            {{pk}},
  incident_id   BIGINT        NOT NULL,
  standard_id   BIGINT        NOT NULL,
  sample        BOOLEAN       NOT NULL,
  input_json    {{longtext}}  NOT NULL,
  items_json    {{longtext}}  NOT NULL,
  total_fen     BIGINT        NOT NULL,
  liability_pct INT           NOT NULL,
  payable_fen   BIGINT        NOT NULL,
  note          VARCHAR(1000) NOT NULL,
  created_by    BIGINT        NOT NULL,
  created_at    {{datetime}}  NOT NULL
) {{table}};
CREATE INDEX idx_compensation_calculations_incident ON compensation_calculations (incident_id, id);
