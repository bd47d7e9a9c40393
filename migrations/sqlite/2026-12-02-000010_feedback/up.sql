-- Feedback from the sheet: the sales team's model feedback (column K, notes in L), stored once per
-- (company, value, notes) so that moving or sorting rows never records it again (defect 2), and the rows the
-- last feedback run could not take, with the reason (shown by `status`).
CREATE TABLE feedback_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    value      TEXT NOT NULL CHECK (value IN ('OK', 'FP', 'FN')),
    notes      TEXT NOT NULL DEFAULT '',
    sheet_row  INTEGER NOT NULL,
    run_id     BIGINT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX uq_feedback_events ON feedback_events (company_id, value, notes);

-- Replaced by every feedback run that reads the sheet: what is wrong in the sheet now.
CREATE TABLE feedback_rejections (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id     BIGINT,
    sheet_row  INTEGER NOT NULL,
    company_id BIGINT,
    value      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
