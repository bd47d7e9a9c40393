-- Ingestion speed (docs/stages.md#ingestion-persistence): the SHA-256 of the raw item a posting was last read
-- from (the API's JSON text, with its detail's where there is one). An item that hashes the same on the next
-- fetch is the stored posting as it is: not parsed, normalized nor compared again. NULL until a fetch gives
-- one (rows stored before this column, a posting whose description is still to come, providers without).
ALTER TABLE postings ADD COLUMN source_hash TEXT COLLATE "C";
