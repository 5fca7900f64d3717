-- "settings" becomes per workspace; the old global table keeps its rows under a new name.
SET lock_timeout = '3s';
ALTER TABLE IF EXISTS settings RENAME TO site_settings;

CREATE TABLE workspace_settings (
    workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    key          varchar(100) NOT NULL,
    value        text NOT NULL,
    PRIMARY KEY (workspace_id, key)
);
ALTER TABLE workspace_settings RENAME COLUMN value TO setting_value;
ALTER TABLE IF EXISTS workspace_settings RENAME TO workspace_preferences;
ALTER INDEX IF EXISTS workspace_settings_pkey RENAME TO workspace_preferences_pkey;
