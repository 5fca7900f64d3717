CREATE SEQUENCE IF NOT EXISTS tag_number_seq START WITH 1000 INCREMENT BY 1 CACHE 20;

CREATE TABLE IF NOT EXISTS tags (
    id           integer NOT NULL DEFAULT nextval('tag_number_seq'),
    workspace_id bigint NOT NULL,
    name         varchar(80) NOT NULL,
    color        char(7) NOT NULL DEFAULT '#999999' CHECK (color ~ '^#[0-9a-f]{6}$'),
    deleted_at   timestamptz,
    PRIMARY KEY (id)
);
ALTER SEQUENCE tag_number_seq OWNED BY tags.id;

-- A name is unique among a workspace's live tags only.
CREATE UNIQUE INDEX tags_workspace_name_idx ON tags (workspace_id, lower(name)) WHERE deleted_at IS NULL;
ALTER TABLE tags ADD CONSTRAINT tags_workspace_fk FOREIGN KEY (workspace_id) REFERENCES workspaces (id);

CREATE TABLE page_tags (
    page_id bigint NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    tag_id  integer NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (page_id, tag_id)
);
CREATE INDEX page_tags_tag_idx ON page_tags (tag_id);
