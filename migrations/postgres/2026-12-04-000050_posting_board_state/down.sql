DROP INDEX idx_postings_board_state;
