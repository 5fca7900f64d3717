-- Runs outside a transaction: Flyway sees CONCURRENTLY and VACUUM and applies each statement on its own.
CREATE INDEX CONCURRENTLY IF NOT EXISTS pages_published_idx ON pages (published_at) WHERE published_at IS NOT NULL;
/* The clean-up deleted most revisions: give the space back to the operating system. */
VACUUM FULL page_revisions;
VACUUM (ANALYZE) pages;
