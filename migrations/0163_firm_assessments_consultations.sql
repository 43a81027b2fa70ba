-- The firm's legal consultations of the month, an indicator of its own.
ALTER TABLE firm_assessments ADD COLUMN consultations INT NOT NULL DEFAULT 0;
