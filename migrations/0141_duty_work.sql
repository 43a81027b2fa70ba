-- The stationed lawyers' duties besides mediation (seed 000's four duties):
-- legal consultations (法律咨询), legal education sessions (法治宣传) and
-- help with police matters (协助涉警事务), one row per piece of work.
CREATE TABLE IF NOT EXISTS duty_work (
  id         {{pk}},
  kind       VARCHAR(16)   NOT NULL,
  lawyer_id  BIGINT        NOT NULL,
  firm_id    BIGINT        NOT NULL,
  station_id BIGINT        NOT NULL,
  at         {{datetime}}  NOT NULL,
  minutes    INT           NOT NULL,
  topic      VARCHAR(200)  NOT NULL,
  person     VARCHAR(50)   NOT NULL,
  summary    VARCHAR(2000) NOT NULL,
  place      VARCHAR(200)  NOT NULL,
  audience   VARCHAR(200)  NOT NULL,
  attendees  INT           NOT NULL,
  officer_id BIGINT        NOT NULL,
  created_at {{datetime}}  NOT NULL
) {{table}};
