-- Detail freshness (docs/stages.md#detail-freshness): when a SmartRecruiters or Workday board last had every
-- posting's detail read in one complete fetch. Until `ingestion.details_refresh_after` has passed, a posting
-- whose list item is unchanged keeps its stored description without a detail call.
ALTER TABLE board_ingestion ADD COLUMN described_at TIMESTAMPTZ;
