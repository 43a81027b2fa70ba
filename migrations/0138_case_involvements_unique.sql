-- One row per person, case and role; the conflict check reads a person's rows.
CREATE UNIQUE INDEX uq_case_involvements ON case_involvements (person_id, request_id, role);
