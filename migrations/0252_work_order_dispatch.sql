-- Dispatch state of work orders: who holds one, its SLA clock and when it
-- was last put on its stream (the reconciler re-sends unacknowledged ones).
ALTER TABLE work_orders ADD COLUMN assignee_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE work_orders ADD COLUMN escalated_from BIGINT NOT NULL DEFAULT 0;
ALTER TABLE work_orders ADD COLUMN outcome VARCHAR(500) NOT NULL DEFAULT '';
ALTER TABLE work_orders ADD COLUMN due_at {{datetime}} NULL;
ALTER TABLE work_orders ADD COLUMN warn_at {{datetime}} NULL;
ALTER TABLE work_orders ADD COLUMN warned_at {{datetime}} NULL;
ALTER TABLE work_orders ADD COLUMN paused_at {{datetime}} NULL;
ALTER TABLE work_orders ADD COLUMN delivered_at {{datetime}} NULL;
ALTER TABLE work_orders ADD COLUMN claimed_at {{datetime}} NULL;
ALTER TABLE work_orders ADD COLUMN closed_at {{datetime}} NULL;
ALTER TABLE work_orders ADD COLUMN published_at {{datetime}} NULL;
ALTER TABLE work_orders ADD COLUMN version INT NOT NULL DEFAULT 1;
CREATE INDEX idx_work_orders_due ON work_orders (state, due_at);
CREATE INDEX idx_work_orders_warn ON work_orders (state, warn_at);
CREATE INDEX idx_work_orders_published ON work_orders (state, published_at);
CREATE INDEX idx_work_orders_person ON work_orders (person_id, state);
CREATE INDEX idx_work_orders_assignee ON work_orders (assignee_id, state);
