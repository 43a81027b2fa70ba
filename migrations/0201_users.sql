-- Accounts: citizens (by phone) and staff (by username), with their roles.
CREATE TABLE IF NOT EXISTS users (
  id            {{pk}},
  username      VARCHAR(64)  NULL,
  phone         VARCHAR(20)  NULL,
  name          VARCHAR(50)  NOT NULL,
  roles         VARCHAR(200) NOT NULL,
  org_id        BIGINT       NOT NULL,
  firm_id       BIGINT       NOT NULL,
  password_hash VARCHAR(100) NOT NULL,
  miniapp_id    VARCHAR(128) NULL,
  disabled      BOOLEAN      NOT NULL,
  anonymised_at {{datetime}} NULL,
  last_login_at {{datetime}} NULL,
  created_at    {{datetime}} NOT NULL,
  updated_at    {{datetime}} NOT NULL
) {{table}};
CREATE UNIQUE INDEX uq_users_username ON users (username);
CREATE UNIQUE INDEX uq_users_phone ON users (phone);
CREATE UNIQUE INDEX uq_users_miniapp ON users (miniapp_id);
CREATE INDEX idx_users_org ON users (org_id);
