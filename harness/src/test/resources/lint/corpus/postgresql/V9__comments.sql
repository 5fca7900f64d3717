CREATE TABLE comments (
    id         bigserial PRIMARY KEY,
    page_id    bigint NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    author_id  bigint NOT NULL REFERENCES accounts (id),
    body       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER comments_touch BEFORE UPDATE ON comments
    FOR EACH ROW EXECUTE PROCEDURE touch_updated_at();

CREATE OR REPLACE FUNCTION comment_count(p_page bigint) RETURNS integer
    LANGUAGE sql STABLE
AS $function$
    SELECT count(*)::integer FROM comments WHERE page_id = p_page
$function$;

CREATE OR REPLACE VIEW page_stats AS
SELECT p.id, p.title, comment_count(p.id) AS comments
FROM pages p;

ALTER TABLE comments ADD COLUMN edited boolean GENERATED ALWAYS AS (updated_at > created_at) STORED;
ALTER TABLE comments SET UNLOGGED;
ALTER TABLE comments SET LOGGED;
CLUSTER comments USING comments_pkey;
