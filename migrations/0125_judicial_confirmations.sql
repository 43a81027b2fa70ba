-- Judicial confirmation (司法确认) of a mediation agreement: handed to a
-- court (a partner unit) after the record's approval, then the court's
-- ruling. One per request; the record itself stays approved.
CREATE TABLE IF NOT EXISTS judicial_confirmations (
  request_id    BIGINT        NOT NULL PRIMARY KEY,
  court_id      BIGINT        NOT NULL,
  requested_by  BIGINT        NOT NULL,
  requested_at  {{datetime}}  NOT NULL,
  note          VARCHAR(1000) NOT NULL,
  result        VARCHAR(16)   NOT NULL,
  decided_on    VARCHAR(10)   NOT NULL,
  document_no   VARCHAR(100)  NOT NULL,
  attachment_id BIGINT        NOT NULL,
  decided_by    BIGINT        NOT NULL,
  decided_at    {{datetime}}  NULL,
  version       INT           NOT NULL
) {{table}};
