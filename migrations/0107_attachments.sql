-- Photos and PDFs attached to requests; the bytes live in file storage.
CREATE TABLE IF NOT EXISTS attachments (
  id           {{pk}},
  request_id   BIGINT       NOT NULL,
  owner_id     BIGINT       NOT NULL,
  content_type VARCHAR(64)  NOT NULL,
  size_bytes   BIGINT       NOT NULL,
  sha256       VARCHAR(64)  NOT NULL,
  storage_key  VARCHAR(255) NOT NULL,
  file_name    VARCHAR(255) NOT NULL,
  created_at   {{datetime}} NOT NULL
) {{table}};
CREATE INDEX idx_attachments_request ON attachments (request_id);
CREATE INDEX idx_attachments_owner ON attachments (owner_id, id);
