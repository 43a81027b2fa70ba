-- The history of each work order: created, acknowledged, claimed, …
CREATE TABLE IF NOT EXISTS work_order_events (
  id       {{pk}},
  order_id BIGINT       NOT NULL,
  at       {{datetime}} NOT NULL,
  actor_id BIGINT       NOT NULL,
  action   VARCHAR(32)  NOT NULL,
  detail   VARCHAR(500) NOT NULL
) {{table}};
CREATE INDEX idx_work_order_events_order ON work_order_events (order_id, id);
