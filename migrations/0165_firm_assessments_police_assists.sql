-- The firm's help with police matters of the month.
ALTER TABLE firm_assessments ADD COLUMN police_assists INT NOT NULL DEFAULT 0;
