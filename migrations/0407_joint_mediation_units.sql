-- The partner units invited to a joint mediation.
CREATE TABLE IF NOT EXISTS joint_mediation_units (
  id            {{pk}},
  mediation_id  BIGINT NOT NULL,
  unit_id       BIGINT NOT NULL
) {{table}};
CREATE UNIQUE INDEX uq_joint_mediation_units ON joint_mediation_units (mediation_id, unit_id);
CREATE INDEX idx_joint_mediation_units_unit ON joint_mediation_units (unit_id);
