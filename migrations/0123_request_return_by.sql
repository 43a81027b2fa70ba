-- The staff member who called or visited.
ALTER TABLE requests ADD COLUMN return_by BIGINT NOT NULL DEFAULT 0;
