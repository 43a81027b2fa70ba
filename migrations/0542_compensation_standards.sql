-- Compensation standards (人身损害赔偿标准) by province and year, kept by
-- admins; money in fen. sample marks figures that are placeholders.
CREATE TABLE IF NOT EXISTS compensation_standards (
  id                         {{pk}},
  province                   VARCHAR(32)  NOT NULL,
  province_name              VARCHAR(50)  NOT NULL,
  year                       INT          NOT NULL,
  disposable_income_fen      BIGINT       NOT NULL,
  average_wage_fen           BIGINT       NOT NULL,
  nursing_per_day_fen        BIGINT       NOT NULL,
  hospital_food_per_day_fen  BIGINT       NOT NULL,
  nutrition_per_day_fen      BIGINT       NOT NULL,
  sample                     BOOLEAN      NOT NULL,
  note                       VARCHAR(500) NOT NULL,
  updated_by                 BIGINT       NOT NULL,
  created_at                 {{datetime}} NOT NULL,
  updated_at                 {{datetime}} NOT NULL,
  version                    INT          NOT NULL
) {{table}};
CREATE UNIQUE INDEX uq_compensation_standards ON compensation_standards (province, year);
