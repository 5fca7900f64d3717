/*
 * Full-text search over pages: a stored tsvector kept by the database,
 * and a GIN index over it.
 */
CREATE TABLE search_documents (
    page_id    bigint PRIMARY KEY REFERENCES pages (id) ON DELETE CASCADE,
    language   regconfig NOT NULL DEFAULT 'english',
    title      text NOT NULL,
    fulltext   text NOT NULL,
    document   tsvector GENERATED ALWAYS AS (
                   setweight(to_tsvector(language, coalesce(title, '')), 'A') ||
                   setweight(to_tsvector(language, coalesce(fulltext, '')), 'B')
               ) STORED,
    indexed_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX search_documents_document_idx ON search_documents USING gin (document);

INSERT INTO search_documents (page_id, title, fulltext)
SELECT id, title, body FROM pages;
