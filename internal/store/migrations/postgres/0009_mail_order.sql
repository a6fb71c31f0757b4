-- Mails made in the same second were ordered by their random id, so a
-- re-sent invitation could show the older mail's delivery state. seq
-- follows insertion order; SQLite uses its rowid for the same purpose.
ALTER TABLE mails ADD COLUMN seq BIGSERIAL;
