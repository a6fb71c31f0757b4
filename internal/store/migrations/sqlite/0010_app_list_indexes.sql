-- Indexes in the order of the admin API's lists across one app, so that a
-- page is read from an index instead of sorting every row of the app.
CREATE INDEX invitations_app_page ON invitations (app_id, created, id);
CREATE INDEX networks_app_page ON networks (app_id, created, child_account_id);
CREATE INDEX revenue_events_app_page ON revenue_events (app_id, created, id);
CREATE INDEX mails_app_page ON mails (app_id, created, seq);
DROP INDEX mails_app;
