-- A lawyer pages their own records, newest first.
CREATE INDEX idx_duty_work_lawyer ON duty_work (lawyer_id, id);
