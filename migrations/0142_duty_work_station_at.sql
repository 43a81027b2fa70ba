-- Statistics, the ledger and the reports count a window at some stations.
CREATE INDEX idx_duty_work_station_at ON duty_work (station_id, at);
