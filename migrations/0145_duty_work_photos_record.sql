-- A record shows its photos.
CREATE INDEX idx_duty_work_photos_record ON duty_work_photos (record_id);
