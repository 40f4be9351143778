-- Mails that public actions (a registration, a change through a manage link) cause are marked,
-- so that one address gets at most a few of them an hour: past that cap a mail is held back
-- (when, in `held_at`), never sent, and listed on the organiser page.
ALTER TABLE outbox ADD COLUMN public INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN held_at INTEGER;
CREATE INDEX outbox_by_recipient ON outbox (lower(recipient), created_at) WHERE public = 1;
-- A message the organiser sends carries the key its page made for it, so a send repeated after
-- a lost answer sends nothing twice.
ALTER TABLE messages ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX messages_by_key ON messages (meeting_id, idempotency_key);
-- A manage link replaced by a newer one (a new contact person was sent their own): when. It
-- opens nothing any more, and says so.
ALTER TABLE manage_tokens ADD COLUMN replaced_at INTEGER;
