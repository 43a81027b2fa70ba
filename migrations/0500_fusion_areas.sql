-- Police–justice fusion (警法融合 所所共建): one town or street's three
-- offices — police station, justice office, legal-service office — and
-- their liaisons (联络员).
CREATE TABLE IF NOT EXISTS fusion_areas (
  id                {{pk}},
  name              VARCHAR(100) NOT NULL,
  district_id       BIGINT       NOT NULL,
  station_id        BIGINT       NOT NULL,
  justice_office_id BIGINT       NOT NULL,
  legal_service_id  BIGINT       NOT NULL,
  station_liaison   BIGINT       NOT NULL,
  justice_liaison   BIGINT       NOT NULL,
  legal_liaison     BIGINT       NOT NULL,
  created_at        {{datetime}} NOT NULL
) {{table}};
CREATE INDEX idx_fusion_areas_district ON fusion_areas (district_id);
