-- Ingestion: every board's postings, normalized, and each board's fetch schedule. Timestamps are UTC,
-- written by the application's clock.

CREATE TABLE postings (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    board_id            BIGINT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    company_id          BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    -- Unique within its board only.
    external_id         TEXT NOT NULL,
    url                 TEXT NOT NULL,
    title               TEXT NOT NULL,
    description         TEXT NOT NULL,
    -- JSON array of strings.
    locations           TEXT NOT NULL,
    department          TEXT,
    employment_type     TEXT,
    -- `remote`, `hybrid`, `onsite`.
    workplace           TEXT,
    -- JSON object {min, max, currency, period}, or NULL.
    salary              TEXT,
    requisition_id      TEXT,
    published_at        TIMESTAMPTZ,
    source_updated_at   TIMESTAMPTZ,
    -- SHA-256 of the normalized posting: an equal hash means nothing to write and nothing to rescore.
    content_hash        TEXT NOT NULL,
    -- The provider's detail call was not made (budget spent): the description is to come.
    description_pending BOOLEAN NOT NULL DEFAULT FALSE,
    first_seen_at       TIMESTAMPTZ NOT NULL,
    -- When the stored content last changed.
    changed_at          TIMESTAMPTZ NOT NULL,
    -- Set when a complete fetch of its board no longer returns it; cleared when it comes back.
    closed_at           TIMESTAMPTZ,
    -- A repost points to the earliest posting it repeats (within the company); NULL for a canonical one.
    canonical_id        BIGINT REFERENCES postings (id),
    -- Reposts pointing here (each counted once).
    repost_count        INTEGER NOT NULL DEFAULT 0,
    needs_scoring       BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE UNIQUE INDEX uq_postings_board_external ON postings (board_id, external_id);
CREATE INDEX idx_postings_company ON postings (company_id);
CREATE INDEX idx_postings_needs_scoring ON postings (needs_scoring);

-- One row per board ingestion has fetched; an active board without a row was never fetched.
CREATE TABLE board_ingestion (
    board_id        BIGINT PRIMARY KEY REFERENCES boards (id) ON DELETE CASCADE,
    etag            TEXT,
    last_modified   TEXT,
    -- The last fetch that read the board (complete, incomplete or 304): the open postings were seen then.
    last_fetched_at TIMESTAMPTZ,
    -- `ok`, `not_modified`, `incomplete`, `error`, `gone`.
    last_outcome    TEXT NOT NULL,
    -- Consecutive failures (a rate-limit snooze does not count).
    failures        INTEGER NOT NULL DEFAULT 0,
    error_class     TEXT,
    last_error      TEXT,
    next_due_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_board_ingestion_due ON board_ingestion (next_due_at);
