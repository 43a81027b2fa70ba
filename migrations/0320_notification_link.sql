-- A notice may carry a link into the app: the video room of a scheduled
-- mediation session or of an approved video visit (/h5/room/<room>), so
-- the family reaches the room with one tap. '' when there is none.
ALTER TABLE notifications ADD COLUMN link VARCHAR(200) NOT NULL DEFAULT '';
