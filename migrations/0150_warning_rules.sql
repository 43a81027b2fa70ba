-- Warning rules, configurable by admins; read afresh for every batch.
CREATE TABLE IF NOT EXISTS warning_rules (
  id               {{pk}},
  kind             VARCHAR(32)  NOT NULL,
  name             VARCHAR(100) NOT NULL,
  threshold        INT          NOT NULL,
  window_seconds   BIGINT       NOT NULL,
  severity         VARCHAR(16)  NOT NULL,
  cooldown_seconds BIGINT       NOT NULL,
  notify_units     VARCHAR(500) NOT NULL,
  enabled          BOOLEAN      NOT NULL,
  version          INT          NOT NULL,
  updated_at       {{datetime}} NOT NULL
) {{table}};
