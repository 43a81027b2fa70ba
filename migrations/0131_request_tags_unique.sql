-- A case has a tag once; two staff adding the same tag at once make one row.
CREATE UNIQUE INDEX uq_request_tags ON request_tags (request_id, tag);
