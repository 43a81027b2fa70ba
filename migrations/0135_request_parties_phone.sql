-- Custom search finds a party by phone with an exact match on this index
-- (party phones are stored as entered, not hashed; a filer's phone is found
-- by uq_users_phone), so no search scans phone numbers.
CREATE INDEX idx_request_parties_phone ON request_parties (phone);
