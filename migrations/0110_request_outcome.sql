-- What statistics need of a case without reading its timeline: when staff
-- first acted on it, and how mediation ended (agreed, failed, referred) —
-- the status moves on to closed, the outcome stays. The covering index
-- serves the per-month, per-station statistics on a year of cases.
ALTER TABLE requests ADD COLUMN first_response_at {{datetime}} NULL;
ALTER TABLE requests ADD COLUMN outcome VARCHAR(32) NOT NULL DEFAULT '';
CREATE INDEX idx_requests_stats ON requests (created_at, station_id, category, kind, status, outcome);
