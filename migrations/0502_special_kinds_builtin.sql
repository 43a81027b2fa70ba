-- The seed's four kinds.
INSERT INTO special_kinds (code, name, builtin, created_at) VALUES
  ('community_correction', '社区矫正', TRUE, CURRENT_TIMESTAMP),
  ('released_prisoner', '刑满释放', TRUE, CURRENT_TIMESTAMP),
  ('drug_user', '吸毒人员', TRUE, CURRENT_TIMESTAMP),
  ('mental_disorder', '易肇事肇祸精神障碍患者', TRUE, CURRENT_TIMESTAMP);
