-- Reference numbers count per meeting (KNUB-00001, 00002, …) without gaps, from a counter
-- raised in the submission's own transaction. Earlier references were the submission's row id;
-- they keep their numbers, and each meeting's counter goes on from its highest.
CREATE TABLE reference_counters (
    meeting_id TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);
ALTER TABLE submissions ADD COLUMN number INTEGER;
UPDATE submissions SET number = id;
INSERT INTO reference_counters (meeting_id, last)
    SELECT meeting_id, MAX(number) FROM submissions GROUP BY meeting_id;
CREATE UNIQUE INDEX submission_number ON submissions (meeting_id, number);
