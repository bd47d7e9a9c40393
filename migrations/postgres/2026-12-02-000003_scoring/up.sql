-- Scoring: each posting's score against the catalog version it was scored with, and its explanation.
ALTER TABLE postings ADD COLUMN score INTEGER;
ALTER TABLE postings ADD COLUMN strong BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE postings ADD COLUMN top_category_id TEXT COLLATE "C";
-- The catalog's content hash: a posting scored with another version is scored again.
ALTER TABLE postings ADD COLUMN catalog_version TEXT COLLATE "C";
-- JSON: the hits and contributions the score was computed from.
ALTER TABLE postings ADD COLUMN explanation TEXT COLLATE "C";
ALTER TABLE postings ADD COLUMN scored_at TIMESTAMPTZ;
CREATE INDEX idx_postings_catalog_version ON postings (catalog_version);
CREATE INDEX idx_companies_needs_aggregation ON companies (needs_aggregation);
