-- Picking a case asks whether it is already an example.
CREATE INDEX idx_case_reviews_request ON case_reviews (request_id, withdrawn_at);
