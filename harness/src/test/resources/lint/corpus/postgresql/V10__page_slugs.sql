SET lock_timeout = '5s';
SET statement_timeout = 0;

ALTER TABLE pages ADD COLUMN slug varchar(200);
UPDATE pages SET slug = lower(regexp_replace(title, '[^a-zA-Z0-9]+', '-', 'g')) WHERE slug IS NULL;

/* Guarded so the script can be re-run by hand after a partial failure. */
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'pages_slug_check') THEN
        ALTER TABLE pages ADD CONSTRAINT pages_slug_check CHECK (slug IS NOT NULL) NOT VALID;
    END IF;
END
$$;
ALTER TABLE pages VALIDATE CONSTRAINT pages_slug_check;
