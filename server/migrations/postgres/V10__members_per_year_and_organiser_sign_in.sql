-- A municipality is a member of a network for a period: from a day through a day, both
-- included, as 'YYYY-MM-DD'. No end: a member until it is ended. No start: a member from
-- before periods were kept (every member so far, whose `since` was only when its file was
-- read). How it became one, by whom, with what note; the renewal that last extended it.
CREATE TABLE memberships (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    network TEXT NOT NULL,
    municipality_code INTEGER NOT NULL,
    valid_from TEXT,
    valid_until TEXT,
    became TEXT NOT NULL,
    made_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    made_at BIGINT NOT NULL,
    renewal_id BIGINT
);
CREATE INDEX memberships_by_municipality ON memberships (network, municipality_code, valid_from);
INSERT INTO memberships (network, municipality_code, became, made_at)
    SELECT network, municipality_code, 'imported', since FROM members;
DROP TABLE members;
-- What was done to a network's members, by whom and when.
CREATE TABLE membership_history (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    network TEXT NOT NULL,
    municipality_code INTEGER,
    done_at BIGINT NOT NULL,
    done_by TEXT NOT NULL,
    what TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX membership_history_by_network ON membership_history (network, id);
-- The memberships ending with one year extended through another, undoable for a day.
CREATE TABLE membership_renewals (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    network TEXT NOT NULL,
    from_year INTEGER NOT NULL,
    to_year INTEGER NOT NULL,
    old_until TEXT NOT NULL,
    new_until TEXT NOT NULL,
    renewed BIGINT NOT NULL,
    done_at BIGINT NOT NULL,
    done_by TEXT NOT NULL,
    undone_at BIGINT
);
-- The day a network's membership year starts, 'MM-DD', where it is not 1 January.
CREATE TABLE membership_years (
    network TEXT PRIMARY KEY,
    starts TEXT NOT NULL
);
-- The meeting an application was made with: approved, it makes the municipality a member for
-- that meeting's membership year.
ALTER TABLE applications ADD COLUMN meeting_id TEXT;
-- Sign-in links mailed to organisers (kept as a hash of their token), each used once.
CREATE TABLE organiser_links (
    hash BYTEA PRIMARY KEY,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
-- Organisers signed in (a hash of the session's token), until they sign out or it expires.
CREATE TABLE organiser_sessions (
    hash BYTEA PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
