-- Reference numbers come from one sequence instead of a counter row per meeting. The counter's
-- row lock, held until each commit reached the disk, put every submission of a meeting in one
-- line across all instances: more instances added no speed. A sequence hands out numbers
-- without a lock, so submissions commit side by side. The numbers stay unique per meeting
-- (UNIQUE (meeting_id, number)), short and readable, but are no longer gap-free: a submission
-- that is rolled back does not give its number back.
CREATE SEQUENCE submission_numbers AS INTEGER;
-- Above every number already given, in any meeting, so none is given twice.
SELECT setval('submission_numbers', COALESCE((SELECT MAX(number) FROM submissions), 0) + 1, false);
DROP TABLE reference_counters;
