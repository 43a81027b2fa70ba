-- Photos of legal education sessions; the bytes live in file storage.
CREATE TABLE IF NOT EXISTS duty_work_photos (
  id           {{pk}},
  record_id    BIGINT       NOT NULL,
  content_type VARCHAR(64)  NOT NULL,
  size_bytes   BIGINT       NOT NULL,
  sha256       VARCHAR(64)  NOT NULL,
  storage_key  VARCHAR(255) NOT NULL,
  created_at   {{datetime}} NOT NULL
) {{table}};
