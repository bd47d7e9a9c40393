DROP INDEX idx_companies_needs_aggregation;
DROP INDEX idx_postings_catalog_version;
ALTER TABLE postings DROP COLUMN scored_at;
ALTER TABLE postings DROP COLUMN explanation;
ALTER TABLE postings DROP COLUMN catalog_version;
ALTER TABLE postings DROP COLUMN top_category_id;
ALTER TABLE postings DROP COLUMN strong;
ALTER TABLE postings DROP COLUMN score;
