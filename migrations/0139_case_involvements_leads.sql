-- The cases' current leads were involved before this table existed.
INSERT INTO case_involvements (person_id, request_id, role, at)
SELECT lead_id, id, 'lead', updated_at FROM requests WHERE lead_id <> 0;
