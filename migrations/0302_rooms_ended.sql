-- A room's end is stored: an ended room stays ended across a restart and on
-- every instance (the hub had dropped ended rooms from memory and reloaded
-- them from here as new). A server shutdown does not end a room.
ALTER TABLE rooms ADD COLUMN ended_at {{datetime}} NULL;
ALTER TABLE rooms ADD COLUMN end_reason VARCHAR(32) NOT NULL DEFAULT '';
