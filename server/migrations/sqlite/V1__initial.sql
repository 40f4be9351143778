-- The schema as it was before versioned migrations; IF NOT EXISTS, so a database made by an
-- earlier release adopts it unchanged.
CREATE TABLE IF NOT EXISTS members (
    network TEXT NOT NULL,
    municipality_code INTEGER NOT NULL,
    since INTEGER NOT NULL,
    PRIMARY KEY (network, municipality_code)
);
CREATE TABLE IF NOT EXISTS applications (
    id INTEGER PRIMARY KEY,
    network TEXT NOT NULL,
    municipality_code INTEGER NOT NULL,
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    approved_at INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS one_open_application
    ON applications (network, municipality_code) WHERE approved_at IS NULL;
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    network TEXT NOT NULL,
    municipality_code INTEGER NOT NULL,
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    idempotency_key TEXT,
    reference TEXT NOT NULL DEFAULT '',
    receipt TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (meeting_id, idempotency_key)
);
CREATE TABLE IF NOT EXISTS registrations (
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
    UNIQUE (meeting_id, email_key)
);
