CREATE TABLE api_keys (
    id          uuid PRIMARY KEY DEFAULT uuid_generate_v4(),
    account_id  bigint NOT NULL,
    key         char(64) NOT NULL,
    value       jsonb,
    type        varchar(16) NOT NULL DEFAULT 'personal',
    last_used   timestamp,
    expires_at  timestamptz
);
/* The key is looked up on every API request. */
CREATE UNIQUE INDEX api_keys_key_idx ON api_keys (key);
ALTER TABLE api_keys ADD CONSTRAINT api_keys_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE;
ALTER TABLE api_keys ALTER COLUMN last_used TYPE timestamptz;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_type_check CHECK (type IN ('personal', 'service'));
COMMENT ON COLUMN api_keys.key IS 'SHA-256 of the key, hex; the key itself is shown once';

GRANT SELECT, INSERT, UPDATE, DELETE ON api_keys TO PUBLIC;
REVOKE DELETE ON api_keys FROM PUBLIC;
