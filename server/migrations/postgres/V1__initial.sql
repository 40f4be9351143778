-- The PostgreSQL store's schema. Every promise the API makes is a constraint here, so that it
-- holds with any number of server instances on this database:
--   one submission per idempotency key, one registration per e-mail per meeting, one open
--   application per municipality, reference numbers unique per meeting (gap-free because the
--   counter is raised in the submission's own transaction).
CREATE TABLE members (
    network TEXT NOT NULL,
    municipality_code INTEGER NOT NULL,
    since BIGINT NOT NULL,
    PRIMARY KEY (network, municipality_code)
);
CREATE TABLE applications (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    network TEXT NOT NULL,
    municipality_code INTEGER NOT NULL,
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    approved_at BIGINT
);
CREATE UNIQUE INDEX one_open_application
    ON applications (network, municipality_code) WHERE approved_at IS NULL;
CREATE TABLE reference_counters (
    meeting_id TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);
CREATE TABLE submissions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    reference TEXT NOT NULL,
    network TEXT NOT NULL,
    municipality_code INTEGER NOT NULL,
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    idempotency_key TEXT,
    receipt TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (meeting_id, idempotency_key),
    UNIQUE (meeting_id, number)
);
CREATE TABLE registrations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions (id),
    meeting_id TEXT NOT NULL,
    network TEXT NOT NULL,
    municipality_code INTEGER NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    title TEXT NOT NULL,
    department TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('registered', 'pending_membership')),
    created_at BIGINT NOT NULL,
    UNIQUE (meeting_id, email_key)
);
CREATE INDEX registrations_by_municipality ON registrations (network, municipality_code, status);
CREATE INDEX registrations_by_submission ON registrations (submission_id);
