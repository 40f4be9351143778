-- The online meeting's link, set by the organiser when it exists, and when. It is kept here, not
-- in the meeting file, since the file is public and the link is for those registered.
ALTER TABLE meetings ADD COLUMN join_url TEXT;
ALTER TABLE meetings ADD COLUMN join_url_set_at INTEGER;
-- When the reminder before the meeting was written to the outbox: once per meeting, whichever
-- instance gets there first.
ALTER TABLE meetings ADD COLUMN reminded_at INTEGER;
