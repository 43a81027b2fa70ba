-- One standing review per case, however many supervisors pick it at once.
CREATE UNIQUE INDEX uq_case_reviews_standing ON case_reviews (request_id, withdrawn_key);
