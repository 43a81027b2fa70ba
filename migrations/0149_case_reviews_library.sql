-- The library pages a district's standing examples, by category, newest first.
CREATE INDEX idx_case_reviews_library ON case_reviews (district_id, category, id);
