-- A session ended by log-out, by a new log-in or by a password reset keeps
-- its row, marked with the time it was revoked, until it would have
-- expired. A revoked token then gets its own 401 reason instead of the one
-- for an unknown credential. 0 while the session works.
ALTER TABLE sessions ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0;
