-- Fixed-window counters for rate limits. A row counts the hits of one key
-- in the window that starts at window_start (Unix seconds). Rows live in
-- the database so that limits hold across instances.
CREATE TABLE rate_counters (
    key          TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL,
    expires      INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
) STRICT;
CREATE INDEX rate_counters_expires ON rate_counters (expires);
