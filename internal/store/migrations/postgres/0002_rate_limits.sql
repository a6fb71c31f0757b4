-- Fixed-window counters for rate limits. A row counts the hits of one key
-- in the window that starts at window_start (Unix seconds). Rows live in
-- the database so that limits hold across instances.
CREATE TABLE rate_counters (
    key          TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL,
    expires      BIGINT NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_counters_expires ON rate_counters (expires);
