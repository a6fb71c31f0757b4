-- Saved responses of writes sent with an Idempotency-Key header, so that a
-- retry gets the first response instead of a second change. A row is
-- written in the transaction of the change it belongs to; status and body
-- are filled before that transaction commits.
CREATE TABLE idempotency_keys (
    app_id      TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    route       TEXT NOT NULL,
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status      INTEGER NOT NULL DEFAULT 0,
    body        TEXT NOT NULL DEFAULT '',
    created     INTEGER NOT NULL,
    expires     INTEGER NOT NULL,
    PRIMARY KEY (app_id, account_id, route, key)
) STRICT;
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires);
