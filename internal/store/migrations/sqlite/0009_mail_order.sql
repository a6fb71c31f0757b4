-- Mails made in the same second were ordered by their random id, so a
-- re-sent invitation could show the older mail's delivery state. seq
-- follows insertion order: the rowid, copied by a trigger.
ALTER TABLE mails ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE mails SET seq = rowid;
CREATE TRIGGER mails_seq AFTER INSERT ON mails BEGIN
    UPDATE mails SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;
