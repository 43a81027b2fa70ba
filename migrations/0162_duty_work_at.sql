-- The firms' assessment and the attendance report count every station's
-- window at once.
CREATE INDEX idx_duty_work_at ON duty_work (at);
