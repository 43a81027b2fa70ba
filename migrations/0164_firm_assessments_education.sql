-- The firm's legal education sessions of the month.
ALTER TABLE firm_assessments ADD COLUMN education_sessions INT NOT NULL DEFAULT 0;
