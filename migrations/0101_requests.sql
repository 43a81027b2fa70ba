-- Requests filed by citizens; once screened, the case they become.
CREATE TABLE IF NOT EXISTS requests (
  id             {{pk}},
  filer_id       BIGINT       NOT NULL,
  kind           VARCHAR(16)  NOT NULL,
  category       VARCHAR(32)  NOT NULL,
  description    TEXT         NOT NULL,
  place          VARCHAR(200) NOT NULL,
  station_id     BIGINT       NOT NULL,
  chosen_id      BIGINT       NOT NULL,
  detainee_id    BIGINT       NOT NULL,
  status         VARCHAR(32)  NOT NULL,
  classification VARCHAR(32)  NOT NULL,
  lead_id        BIGINT       NOT NULL,
  assistant_id   BIGINT       NOT NULL,
  reject_reason  VARCHAR(500) NOT NULL,
  version        INT          NOT NULL,
  created_at     {{datetime}} NOT NULL,
  updated_at     {{datetime}} NOT NULL,
  closed_at      {{datetime}} NULL,
  rating_stars   INT          NOT NULL,
  rating_comment VARCHAR(500) NOT NULL,
  rated_at       {{datetime}} NULL
) {{table}};
CREATE INDEX idx_requests_filer ON requests (filer_id, id);
CREATE INDEX idx_requests_station_status ON requests (station_id, status, id);
CREATE INDEX idx_requests_lead_status ON requests (lead_id, status);
CREATE INDEX idx_requests_assistant_status ON requests (assistant_id, status);
CREATE INDEX idx_requests_created ON requests (created_at);
