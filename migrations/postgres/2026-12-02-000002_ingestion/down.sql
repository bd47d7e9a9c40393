DROP TABLE board_ingestion;
DROP TABLE postings;
