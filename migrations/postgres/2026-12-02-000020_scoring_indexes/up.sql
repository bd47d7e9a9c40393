-- Scoring at scale (docs/stages.md#scoring-speed). A posting row is wide (its description and explanation):
-- reading a few columns of it reads its whole page. Aggregation reads every posting of a company, so its
-- columns get a covering index (the posting id included): 10,000 companies are re-aggregated from the
-- index alone, not from 150,000 table pages.
CREATE INDEX idx_postings_aggregation ON postings (
    company_id, canonical_id, repost_count, published_at, source_updated_at, first_seen_at, changed_at,
    closed_at, score, top_category_id
) INCLUDE (id);
