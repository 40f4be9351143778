-- Issue 16: a private manage link per submission, changes kept in a history, cancellations, and
-- e-mails written to an outbox in the same transaction as what they tell about. See the SQLite
-- migration of the same name for the reasons; here the constraint can simply be replaced.
ALTER TABLE registrations DROP CONSTRAINT registrations_meeting_id_email_key_key;
CREATE UNIQUE INDEX one_active_registration
    ON registrations (meeting_id, email_key) WHERE status <> 'cancelled';
CREATE INDEX registrations_by_email ON registrations (meeting_id, email_key);
ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_status_check
    CHECK (status IN ('registered', 'pending_membership', 'membership_declined', 'cancelled'));
ALTER TABLE registrations ADD COLUMN updated_at BIGINT;
UPDATE registrations SET updated_at = created_at;
ALTER TABLE registrations ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE registrations ADD COLUMN cancelled_at BIGINT;
ALTER TABLE registrations ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;

ALTER TABLE submissions ADD COLUMN language TEXT NOT NULL DEFAULT 'da';

CREATE TABLE manage_tokens (
    selector TEXT PRIMARY KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    verifier_hash BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE changes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    at BIGINT NOT NULL,
    by TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    UNIQUE (submission_id, idempotency_key)
);

CREATE TABLE outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    calendar TEXT,
    calendar_method TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    sent_at BIGINT,
    failed_at BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
