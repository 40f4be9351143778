-- Meetings are made and changed on the organiser page, so each keeps its document (the meeting
-- JSON, the public format), its status, why it was cancelled, and when it last changed. A
-- meeting known only from before has no document until its file is imported at start.
ALTER TABLE meetings ADD COLUMN document TEXT;
ALTER TABLE meetings ADD COLUMN status TEXT NOT NULL DEFAULT 'published';
ALTER TABLE meetings ADD COLUMN cancel_reason TEXT;
ALTER TABLE meetings ADD COLUMN updated_at BIGINT;
-- What was done to a meeting (made, copied, changed, published, cancelled), by whom and when.
CREATE TABLE meeting_history (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    done_at BIGINT NOT NULL,
    done_by TEXT NOT NULL,
    what TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meeting_history_by_meeting ON meeting_history (meeting_id, id);
-- Raised by every change to a meeting, in the change's transaction: each instance reads this one
-- number every second and reloads the meetings when it has moved.
CREATE TABLE meetings_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO meetings_version (id, version) VALUES (1, 0);
