-- Login sessions. Each refresh token is a row (hash only); rotation links a
-- token to its parent within one family (one login), so reuse of a rotated
-- token can revoke the whole family.
CREATE TABLE IF NOT EXISTS refresh_tokens (
  id          {{pk}},
  session_id  VARCHAR(40)  NOT NULL,
  user_id     BIGINT       NOT NULL,
  token_hash  VARCHAR(64)  NOT NULL,
  parent_id   BIGINT       NOT NULL,
  used_at     {{datetime}} NULL,
  revoked_at  {{datetime}} NULL,
  expires_at  {{datetime}} NOT NULL,
  created_at  {{datetime}} NOT NULL
) {{table}};
CREATE UNIQUE INDEX uq_refresh_tokens_hash ON refresh_tokens (token_hash);
CREATE INDEX idx_refresh_tokens_session ON refresh_tokens (session_id);
CREATE INDEX idx_refresh_tokens_user ON refresh_tokens (user_id, revoked_at);
CREATE INDEX idx_refresh_tokens_revoked ON refresh_tokens (revoked_at);
