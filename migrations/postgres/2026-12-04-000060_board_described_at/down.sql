ALTER TABLE board_ingestion DROP COLUMN described_at;
