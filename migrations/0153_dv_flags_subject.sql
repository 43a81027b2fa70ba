-- Every filing asks whether its filer, parties or place are flagged: an
-- exact match on this index, never a scan.
CREATE INDEX idx_dv_flags_subject ON dv_flags (subject_key, kind, cleared_at);
