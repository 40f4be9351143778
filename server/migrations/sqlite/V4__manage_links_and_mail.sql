-- Issue 16: a private manage link per submission, changes kept in a history, cancellations, and
-- e-mails written to an outbox in the same transaction as what they tell about.
--
-- A cancelled e-mail address may register again, so "one registration per e-mail per meeting"
-- now holds for registrations that are not cancelled. SQLite cannot drop a table's UNIQUE
-- constraint, so the table is rebuilt with a partial unique index instead (nothing refers to
-- registrations yet, so nothing else changes).
CREATE TABLE registrations_new (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    meeting_id TEXT NOT NULL,
    network TEXT NOT NULL,
    municipality_code INTEGER NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    title TEXT NOT NULL,
    department TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    cancelled_at INTEGER,
    -- The revision of the attendee's calendar entry (SEQUENCE), raised by every change.
    sequence INTEGER NOT NULL DEFAULT 0
);
INSERT INTO registrations_new
    (id, submission_id, meeting_id, network, municipality_code, name, email, email_key, title,
     department, status, created_at, updated_at)
    SELECT id, submission_id, meeting_id, network, municipality_code, name, email, email_key,
           title, department, status, created_at, created_at
    FROM registrations;
DROP TABLE registrations;
ALTER TABLE registrations_new RENAME TO registrations;
CREATE UNIQUE INDEX one_active_registration
    ON registrations (meeting_id, email_key) WHERE status <> 'cancelled';
CREATE INDEX registrations_by_email ON registrations (meeting_id, email_key);
CREATE INDEX registrations_by_submission ON registrations (submission_id);

-- The language the submission was made in: its e-mails are written in it.
ALTER TABLE submissions ADD COLUMN language TEXT NOT NULL DEFAULT 'da';

-- A manage link is `<selector>.<verifier>`: the selector finds the row, and only a hash of the
-- verifier is kept, compared in constant time. A submission may have several (a replayed
-- submission gets a link of its own; the mailed one keeps working).
CREATE TABLE manage_tokens (
    selector TEXT PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    verifier_hash BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

-- Every change made through a manage link: who, what, when; replays find their key here.
CREATE TABLE changes (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    at INTEGER NOT NULL,
    by TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- JSON: the change as made, and the attendees or contact before it.
    detail TEXT NOT NULL,
    UNIQUE (submission_id, idempotency_key)
);

-- E-mails waiting to be sent, or sent (the bodies are emptied once sent: they may hold a
-- manage link).
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    calendar TEXT,
    calendar_method TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_until INTEGER,
    sent_at INTEGER,
    failed_at INTEGER,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
