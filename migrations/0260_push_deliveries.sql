-- Messages owed to outside push channels (signed webhooks and the like),
-- tried by the push dispatcher with backoff until sent or dead. A claimed
-- row's next_attempt_at is pushed forward by a lease, so the index below is
-- all a dispatcher's "what is due" query reads.
CREATE TABLE IF NOT EXISTS push_deliveries (
  id              {{pk}},
  provider        VARCHAR(32)  NOT NULL,
  message         {{longtext}} NOT NULL,
  state           VARCHAR(8)   NOT NULL,
  attempts        INT          NOT NULL,
  next_attempt_at {{datetime}} NOT NULL,
  last_error      VARCHAR(500) NOT NULL DEFAULT '',
  created_at      {{datetime}} NOT NULL,
  sent_at         {{datetime}} NULL
) {{table}};
CREATE INDEX idx_push_deliveries_due ON push_deliveries (state, next_attempt_at);
