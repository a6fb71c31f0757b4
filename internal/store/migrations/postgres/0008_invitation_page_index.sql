-- The invitation list orders by (created DESC, id DESC); with id in the
-- index a page is read from the index in order instead of sorting every
-- invitation of the parent, many of which can share one second.
DROP INDEX invitations_parent;
CREATE INDEX invitations_parent_page ON invitations (parent_account_id, created, id);
