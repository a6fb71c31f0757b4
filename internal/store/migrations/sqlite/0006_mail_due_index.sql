-- The worker claims the oldest due mail ordered by (next_attempt,
-- created); without created in the index every claim sorted all queued
-- rows.
DROP INDEX mails_due;
CREATE INDEX mails_due ON mails (status, next_attempt, created);
