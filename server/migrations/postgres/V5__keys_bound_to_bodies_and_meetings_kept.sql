-- A submission's idempotency key is bound to its body: a replay under the key with another
-- body is refused instead of answered with this submission's receipt (names, e-mails) and a
-- manage link. The fingerprint is a SHA-256 of the validated body without its key. Rows from
-- before have none, and their keys replay nothing any more.
ALTER TABLE submissions ADD COLUMN fingerprint TEXT;

-- The meetings the server has loaded, with when each is over (its end, or a registration
-- deadline after it): retention deletes a meeting's personal data some days after, also once
-- its file is gone.
CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    over_at BIGINT NOT NULL
);
-- A meeting with data from before this table is taken to be over at its last submission or mail,
-- until its file is loaded again and says when it is over.
INSERT INTO meetings (id, over_at)
    SELECT meeting_id, MAX(created_at)
    FROM (SELECT meeting_id, created_at FROM submissions
          UNION ALL SELECT meeting_id, created_at FROM outbox) AS data
    GROUP BY meeting_id;

-- Fair sending: a mail's place among the mails of what caused it (a submission, a change,
-- a decision). The outbox sends every batch's first mail before any batch's second, so one
-- submission of a thousand attendees cannot hold back another's receipt.
ALTER TABLE outbox ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (position, id) WHERE sent_at IS NULL AND failed_at IS NULL;
