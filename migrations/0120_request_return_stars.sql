-- The citizen's satisfaction as heard at the return visit (回访), by phone
-- or in person, kept apart from the in-app rating (rating_*): statistics
-- count the two separately. 0 when nobody answered.
ALTER TABLE requests ADD COLUMN return_stars INT NOT NULL DEFAULT 0;
