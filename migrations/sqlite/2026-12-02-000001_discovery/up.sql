-- Discovery: the boards found for companies (with their evidence and status) and each company's discovery
-- schedule. Timestamps are UTC, written by the application's clock.

CREATE TABLE boards (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id            BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    -- The reference as found or declared (the tenant keeps the provider's case) ...
    reference             TEXT NOT NULL,
    provider              TEXT NOT NULL,
    -- ... and normalized (tenant in lower case): one board, one owner.
    board_key             TEXT NOT NULL,
    status                TEXT NOT NULL,
    status_reason         TEXT,
    -- `discovery` or `config` ([[boards]]).
    source                TEXT NOT NULL,
    evidence_url          TEXT,
    found_on              TEXT,
    how                   TEXT,
    job_count             INTEGER,
    provider_company_name TEXT,
    validated_at          TIMESTAMPTZ,
    first_seen_at         TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX uq_boards_key ON boards (board_key);
CREATE INDEX idx_boards_company ON boards (company_id);
CREATE INDEX idx_boards_status ON boards (status);

-- One row per company discovery has looked at; a company without a row was never checked.
CREATE TABLE company_discovery (
    company_id      BIGINT PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    last_checked_at TIMESTAMPTZ,
    -- `found`, `not_found` or `error`.
    outcome         TEXT NOT NULL,
    -- Consecutive failures (a rate-limit snooze does not count).
    failures        INTEGER NOT NULL DEFAULT 0,
    error_class     TEXT,
    last_error      TEXT,
    next_due_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_company_discovery_due ON company_discovery (next_due_at);
