CREATE TABLE audit_log (
    id          bigserial,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor_id    bigint,
    action      text NOT NULL,
    details     jsonb,
    PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);

CREATE TABLE audit_log_2026 PARTITION OF audit_log
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

CREATE INDEX audit_log_actor_idx ON audit_log (actor_id);

CREATE OR REPLACE FUNCTION audit_page_change() RETURNS trigger
LANGUAGE plpgsql AS $body$
DECLARE
    what text := TG_OP;
BEGIN
    INSERT INTO audit_log (actor_id, action, details)
    VALUES (NULL, 'page.' || lower(what), jsonb_build_object('id', COALESCE(NEW.id, OLD.id), 'note', 'it''s logged'));
    RETURN NULL;
END;
$body$;

CREATE TRIGGER pages_audit AFTER INSERT OR UPDATE OR DELETE ON pages
    FOR EACH ROW EXECUTE FUNCTION audit_page_change();
