-- Custom search finds a party by the start of the name (LIKE '张%'), which
-- this index serves.
CREATE INDEX idx_request_parties_name ON request_parties (name);
