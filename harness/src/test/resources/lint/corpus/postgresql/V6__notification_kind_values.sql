ALTER TYPE notification_kind ADD VALUE IF NOT EXISTS 'reaction';
ALTER TYPE notification_kind ADD VALUE IF NOT EXISTS 'reminder' BEFORE 'share';
ALTER TYPE account_role ADD VALUE IF NOT EXISTS 'billing' AFTER 'admin';
