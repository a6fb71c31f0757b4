-- Fee history, revenue events and share entries, and a page index for the
-- networks list.

-- The networks list pages through one parent's children newest first.
-- The child id breaks ties of the same second, so that the index alone
-- gives the order, and the app and fee columns let the count, with or
-- without the fee filter, run on the index without reading the table
-- (about 16 ms for 100 000 children on PostgreSQL 15, one run).
DROP INDEX networks_parent;
CREATE INDEX networks_parent_page ON networks (parent_account_id, created, child_account_id)
    INCLUDE (app_id, fee, fee_proposed);

-- Every fee a child accepted, in order; seq counts from 1 per network.
CREATE TABLE network_fee_history (
    child_account_id TEXT NOT NULL REFERENCES networks (child_account_id) ON DELETE CASCADE,
    seq              BIGINT NOT NULL,
    app_id           TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    fee              BIGINT NOT NULL,
    accepted_date    BIGINT NOT NULL,
    PRIMARY KEY (child_account_id, seq)
);

-- Revenue an app reports for one of its accounts. Amounts are integer
-- minor units of currency; reference is the app's own id of the event.
CREATE TABLE revenue_events (
    id          TEXT PRIMARY KEY,
    app_id      TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    reference   TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    currency    TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created     BIGINT NOT NULL,
    UNIQUE (app_id, reference)
);

-- The direct parent's share of one event, with the fee used, so that each
-- entry can be recomputed from its event: share = round(amount × fee /
-- 100 000), half away from zero, fee in thousandths of a percent.
CREATE TABLE share_entries (
    id                TEXT PRIMARY KEY,
    app_id            TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    event_id          TEXT NOT NULL UNIQUE REFERENCES revenue_events (id),
    parent_account_id TEXT NOT NULL REFERENCES accounts (id),
    child_account_id  TEXT NOT NULL REFERENCES accounts (id),
    fee               BIGINT NOT NULL,
    amount            BIGINT NOT NULL,
    share             BIGINT NOT NULL,
    currency          TEXT NOT NULL,
    created           BIGINT NOT NULL
);
CREATE INDEX share_entries_parent ON share_entries (parent_account_id, created, id);
CREATE INDEX share_entries_child ON share_entries (child_account_id, created, id);
