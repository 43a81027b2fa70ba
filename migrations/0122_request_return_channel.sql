-- How the return visit reached the citizen: phone or visit.
ALTER TABLE requests ADD COLUMN return_channel VARCHAR(16) NOT NULL DEFAULT '';
