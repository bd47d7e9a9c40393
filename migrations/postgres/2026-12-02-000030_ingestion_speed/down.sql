DROP INDEX idx_postings_canonical;
