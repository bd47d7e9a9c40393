-- Ingestion speed: a posting's reposts found by index. Without it, a new posting that becomes the
-- canonical of an earlier one (`take_over_canonical`) scanned the whole postings table.
CREATE INDEX idx_postings_canonical ON postings (canonical_id) WHERE canonical_id IS NOT NULL;
