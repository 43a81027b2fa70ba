-- One organisation suggests a name once.
CREATE UNIQUE INDEX uq_tag_vocabulary ON tag_vocabulary (org_id, name);
