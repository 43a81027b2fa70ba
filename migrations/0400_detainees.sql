-- Detainees of detention centres (拘调融合, 人员画像). The ID number is kept
-- only masked and as an HMAC (to recognise a returning person); the risk
-- label is computed from configurable factors or set by staff with a reason.
CREATE TABLE IF NOT EXISTS detainees (
  id                 {{pk}},
  centre_id          BIGINT        NOT NULL,
  home_station_id    BIGINT        NOT NULL,
  name               VARCHAR(50)   NOT NULL,
  id_number_masked   VARCHAR(32)   NOT NULL,
  id_number_hash     VARCHAR(64)   NOT NULL,
  case_cause         VARCHAR(500)  NOT NULL,
  punishment         VARCHAR(200)  NOT NULL,
  punishment_from    {{datetime}}  NOT NULL,
  punishment_to      {{datetime}}  NOT NULL,
  health_notes       {{longtext}}  NOT NULL,
  dispute_background {{longtext}}  NOT NULL,
  dispute_resolved   BOOLEAN       NOT NULL,
  prior_records      {{longtext}}  NOT NULL,
  status             VARCHAR(16)   NOT NULL,
  label              VARCHAR(16)   NOT NULL,
  score              INT           NOT NULL,
  label_overridden   BOOLEAN       NOT NULL,
  label_reason       VARCHAR(500)  NOT NULL,
  left_at            {{datetime}}  NULL,
  leave_reason       VARCHAR(500)  NOT NULL,
  destination        VARCHAR(200)  NOT NULL,
  created_by         BIGINT        NOT NULL,
  created_at         {{datetime}}  NOT NULL,
  updated_at         {{datetime}}  NOT NULL,
  version            INT           NOT NULL
) {{table}};
CREATE INDEX idx_detainees_centre ON detainees (centre_id, status, id);
CREATE INDEX idx_detainees_centre_label ON detainees (centre_id, label, id);
CREATE INDEX idx_detainees_id_hash ON detainees (id_number_hash);
CREATE INDEX idx_detainees_station ON detainees (home_station_id);
