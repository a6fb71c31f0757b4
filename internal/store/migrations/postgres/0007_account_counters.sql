-- Counters of an account's users and children, kept in step by the
-- statements that add and remove memberships and networks. Reading an
-- account (on every request of a session) and counting a parent's network
-- list then cost one row instead of a count over up to every child.
ALTER TABLE accounts ADD COLUMN user_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN children_count BIGINT NOT NULL DEFAULT 0;
UPDATE accounts SET
    user_count = (SELECT count(*) FROM memberships m WHERE m.account_id = accounts.id),
    children_count = (SELECT count(*) FROM networks n WHERE n.parent_account_id = accounts.id);
