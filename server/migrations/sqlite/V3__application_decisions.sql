-- The organiser approves or declines an application (issue 17), and who did it is kept. An
-- application is open while neither has happened; a municipality may apply again after a
-- decline. Registrations waiting on a declined application get the status
-- 'membership_declined'.
ALTER TABLE applications ADD COLUMN declined_at INTEGER;
ALTER TABLE applications ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN decided_by TEXT NOT NULL DEFAULT '';
DROP INDEX one_open_application;
CREATE UNIQUE INDEX one_open_application
    ON applications (network, municipality_code) WHERE approved_at IS NULL AND declined_at IS NULL;
