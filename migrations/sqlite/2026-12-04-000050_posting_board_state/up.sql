-- Ingestion speed (docs/stages.md#ingestion-persistence): what the stage reads of a board's postings before
-- and during its write (id, external id, content and source hashes, pending description, closing), held by
-- one index, so that an unchanged re-run reads a few index pages per board instead of every posting's row
-- (a row holds its description: a page or more each).
CREATE INDEX idx_postings_board_state ON postings (
    board_id, external_id, content_hash, source_hash, description_pending, closed_at
);
