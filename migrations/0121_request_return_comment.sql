-- What the citizen said at the return visit.
ALTER TABLE requests ADD COLUMN return_comment VARCHAR(500) NOT NULL DEFAULT '';
