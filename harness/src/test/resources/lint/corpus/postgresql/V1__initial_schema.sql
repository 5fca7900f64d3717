-- Initial schema of the team wiki: accounts, workspaces, pages and their revisions.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

CREATE TYPE account_role AS ENUM ('owner', 'admin', 'member', 'guest');

CREATE TABLE accounts (
    id            bigserial PRIMARY KEY,
    email         varchar(320) NOT NULL,
    display_name  varchar(120) NOT NULL DEFAULT '',
    password_hash text,
    role          account_role NOT NULL DEFAULT 'member',
    "user"        varchar(64) NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));

CREATE TABLE workspaces (
    id         bigserial PRIMARY KEY,
    slug       varchar(64) NOT NULL UNIQUE,
    name       varchar(200) NOT NULL,
    owner_id   bigint NOT NULL REFERENCES accounts (id),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE pages (
    id           bigserial PRIMARY KEY,
    workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    parent_id    bigint REFERENCES pages (id) ON DELETE SET NULL,
    title        varchar(500) NOT NULL,
    body         text NOT NULL DEFAULT '',
    "order"      integer NOT NULL DEFAULT 0,
    published_at timestamp with time zone,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pages_workspace_idx ON pages (workspace_id, "order");

CREATE TABLE settings (
    key   varchar(100) PRIMARY KEY,
    value text NOT NULL,
    type  varchar(20) NOT NULL DEFAULT 'string'
);

INSERT INTO settings (key, value, type) VALUES
    ('site.name', 'Team Wiki', 'string'),
    ('site.tagline', 'Write it down, it''s worth it', 'string'),
    ('signup.open', 'true', 'boolean');

CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
