-- Messages the organiser sent to everyone registered for a meeting: what, by whom, when, and to
-- how many (the mails themselves go through the outbox). Deleted with the meeting's data.
CREATE TABLE messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_by TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    recipients INTEGER NOT NULL
);
CREATE INDEX messages_by_meeting ON messages (meeting_id);
