-- The invitation list orders by (created DESC, id DESC) within one app
-- and parent. With all four columns in the index, a page is read from the
-- index in order instead of sorting every invitation of the parent (many
-- can share one second), and the count reads index entries only.
DROP INDEX invitations_parent;
CREATE INDEX invitations_parent_page ON invitations (parent_account_id, app_id, created, id);
