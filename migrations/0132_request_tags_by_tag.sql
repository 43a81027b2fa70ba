-- Search and statistics by tag read the cases of one tag by index.
CREATE INDEX idx_request_tags_tag ON request_tags (tag, request_id);
