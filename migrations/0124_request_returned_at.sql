-- When the answer was recorded; NULL while there is none.
ALTER TABLE requests ADD COLUMN returned_at {{datetime}} NULL;
