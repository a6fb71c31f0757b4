-- Initial schema. Times are Unix seconds, percentages integer thousandths
-- of a percent. Every table but the admin ones carries app_id so that data
-- can be partitioned by app.

CREATE TABLE apps (
    id                TEXT PRIMARY KEY,
    title             TEXT NOT NULL,
    network_url       TEXT NOT NULL DEFAULT '',
    login_url         TEXT NOT NULL DEFAULT '',
    reset_url         TEXT NOT NULL DEFAULT '',
    invitation_ttl    INTEGER NOT NULL,
    mail_from_name    TEXT NOT NULL DEFAULT '',
    mail_from_address TEXT NOT NULL DEFAULT '',
    cors_origins      TEXT NOT NULL DEFAULT '',
    webhook_url       TEXT NOT NULL DEFAULT '',
    created           INTEGER NOT NULL,
    updated           INTEGER NOT NULL
) STRICT;

CREATE TABLE app_keys (
    id         TEXT PRIMARY KEY,
    app_id     TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('publishable', 'secret')),
    token_hash TEXT NOT NULL UNIQUE,
    hint       TEXT NOT NULL,
    created    INTEGER NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX app_keys_app ON app_keys (app_id);

CREATE TABLE domains (
    id          TEXT PRIMARY KEY,
    app_id      TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    title_key   TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    signup_help TEXT NOT NULL DEFAULT '',
    created     INTEGER NOT NULL,
    UNIQUE (app_id, title_key)
) STRICT;

CREATE TABLE network_rules (
    id               TEXT PRIMARY KEY,
    app_id           TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    parent_domain_id TEXT NOT NULL REFERENCES domains (id),
    child_domain_id  TEXT NOT NULL REFERENCES domains (id),
    monetized        INTEGER NOT NULL,
    max_fee          INTEGER,
    created          INTEGER NOT NULL,
    UNIQUE (app_id, parent_domain_id, child_domain_id)
) STRICT;

CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    app_id        TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    domain_id     TEXT NOT NULL REFERENCES domains (id),
    title         TEXT NOT NULL,
    address       TEXT NOT NULL DEFAULT '',
    city          TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL DEFAULT '',
    zip           TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    contact_name  TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    country_id    TEXT NOT NULL,
    timezone_id   TEXT NOT NULL DEFAULT '',
    version_id    INTEGER NOT NULL DEFAULT 1,
    created       INTEGER NOT NULL,
    updated       INTEGER NOT NULL
) STRICT;
CREATE INDEX accounts_app ON accounts (app_id, created);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    app_id        TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    username      TEXT NOT NULL,
    username_key  TEXT NOT NULL,
    email         TEXT NOT NULL,
    email_key     TEXT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    created       INTEGER NOT NULL,
    UNIQUE (app_id, username_key),
    UNIQUE (app_id, email_key)
) STRICT;

CREATE TABLE memberships (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    app_id     TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    created    INTEGER NOT NULL,
    last_login INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, user_id)
) STRICT;
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    app_id     TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    user_id    TEXT REFERENCES users (id) ON DELETE CASCADE,
    account_id TEXT REFERENCES accounts (id) ON DELETE CASCADE,
    created    INTEGER NOT NULL,
    expires    INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires);

CREATE TABLE invitations (
    id                 TEXT PRIMARY KEY,
    app_id             TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    parent_account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_by_user_id TEXT NOT NULL REFERENCES users (id),
    email              TEXT NOT NULL,
    email_key          TEXT NOT NULL,
    domain_id          TEXT NOT NULL REFERENCES domains (id),
    country_id         TEXT NOT NULL,
    fee_proposed       INTEGER,
    title              TEXT NOT NULL DEFAULT '',
    token_hash         TEXT NOT NULL UNIQUE,
    status             TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'revoked')),
    expires            INTEGER NOT NULL,
    sent_count         INTEGER NOT NULL DEFAULT 0,
    last_sent          INTEGER NOT NULL DEFAULT 0,
    child_account_id   TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    created            INTEGER NOT NULL,
    updated            INTEGER NOT NULL
) STRICT;
CREATE INDEX invitations_parent ON invitations (parent_account_id, created);
CREATE INDEX invitations_parent_email ON invitations (parent_account_id, email_key);

CREATE TABLE networks (
    child_account_id    TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    app_id              TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    parent_account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    fee                 INTEGER,
    fee_proposed        INTEGER,
    fee_proposed_date   INTEGER NOT NULL DEFAULT 0,
    proposed_account_id TEXT NOT NULL DEFAULT '',
    proposed_user_id    TEXT NOT NULL DEFAULT '',
    created             INTEGER NOT NULL
) STRICT;
CREATE INDEX networks_parent ON networks (parent_account_id, created);

CREATE TABLE password_tokens (
    id         TEXT PRIMARY KEY,
    app_id     TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    expires    INTEGER NOT NULL,
    used       INTEGER NOT NULL DEFAULT 0,
    created    INTEGER NOT NULL
) STRICT;

CREATE TABLE mails (
    id            TEXT PRIMARY KEY,
    app_id        TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    to_address    TEXT NOT NULL,
    from_name     TEXT NOT NULL DEFAULT '',
    from_address  TEXT NOT NULL DEFAULT '',
    subject       TEXT NOT NULL,
    text_body     TEXT NOT NULL,
    html_body     TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    next_attempt  INTEGER NOT NULL,
    lease_until   INTEGER NOT NULL DEFAULT 0,
    invitation_id TEXT REFERENCES invitations (id) ON DELETE SET NULL,
    created       INTEGER NOT NULL,
    sent          INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX mails_app ON mails (app_id, created);
CREATE INDEX mails_due ON mails (status, next_attempt);
CREATE INDEX mails_invitation ON mails (invitation_id, created);

CREATE TABLE admin_users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    email_key     TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created       INTEGER NOT NULL
) STRICT;

CREATE TABLE admin_sessions (
    id            TEXT PRIMARY KEY,
    admin_user_id TEXT NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
    token_hash    TEXT NOT NULL UNIQUE,
    created       INTEGER NOT NULL,
    expires       INTEGER NOT NULL
) STRICT;
