-- Work orders (工单) routed to a unit's queue, written in the transaction of
-- the change that causes them. dedupe_key makes a repeated cause harmless.
CREATE TABLE IF NOT EXISTS work_orders (
  id            {{pk}},
  kind          VARCHAR(32)  NOT NULL,
  unit_id       BIGINT       NOT NULL,
  person_id     BIGINT       NOT NULL,
  priority      INT          NOT NULL,
  state         VARCHAR(16)  NOT NULL,
  title         VARCHAR(200) NOT NULL,
  resource_type VARCHAR(32)  NOT NULL,
  resource_id   BIGINT       NOT NULL,
  dedupe_key    VARCHAR(200) NOT NULL,
  created_at    {{datetime}} NOT NULL,
  updated_at    {{datetime}} NOT NULL
) {{table}};
CREATE UNIQUE INDEX uq_work_orders_dedupe ON work_orders (dedupe_key);
CREATE INDEX idx_work_orders_unit_state ON work_orders (unit_id, state, id);
CREATE INDEX idx_work_orders_resource ON work_orders (resource_type, resource_id);
