-- Staff flags of a domestic-violence history (家暴史): a person by phone or a
-- household by address (subject_key: the phone, or the address reduced by
-- warning.HouseholdKey). A flag set in error is cleared, not deleted.
CREATE TABLE IF NOT EXISTS dv_flags (
  id          {{pk}},
  kind        VARCHAR(16)  NOT NULL,
  subject_key VARCHAR(200) NOT NULL,
  name        VARCHAR(50)  NOT NULL,
  address     VARCHAR(200) NOT NULL,
  station_id  BIGINT       NOT NULL,
  note        VARCHAR(500) NOT NULL,
  flagged_by  BIGINT       NOT NULL,
  flagged_at  {{datetime}} NOT NULL,
  cleared_by  BIGINT       NOT NULL,
  cleared_at  {{datetime}} NULL
) {{table}};
