-- And their current assistants.
INSERT INTO case_involvements (person_id, request_id, role, at)
SELECT assistant_id, id, 'assistant', updated_at FROM requests WHERE assistant_id <> 0;
