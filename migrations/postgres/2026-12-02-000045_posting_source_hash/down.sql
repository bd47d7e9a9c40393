ALTER TABLE postings DROP COLUMN source_hash;
