-- Notification kinds grow with the product; creating the type twice is harmless.
DO $$
BEGIN
    CREATE TYPE notification_kind AS ENUM ('mention', 'comment', 'share');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END
$$;

CREATE TABLE notifications (
    id         bigserial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind       notification_kind NOT NULL,
    payload    jsonb NOT NULL DEFAULT '{}'::jsonb,
    read_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_unread_idx ON notifications (account_id, created_at DESC) WHERE read_at IS NULL;
ALTER TABLE notifications ALTER COLUMN payload SET NOT NULL;
ALTER TABLE notifications ADD COLUMN digest_sent boolean NOT NULL DEFAULT false;
