DROP INDEX idx_postings_aggregation;
