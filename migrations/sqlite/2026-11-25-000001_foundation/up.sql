-- Foundation: companies and where they were listed, the task engine's locks, leases, runs, stage state,
-- provider pauses and events. Every timestamp is UTC, written by the application through diesel's
-- timestamp-with-time-zone type (one representation; no SQL-side now()).

CREATE TABLE companies (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    name_raw            TEXT,
    name_display        TEXT,
    normalized_name     TEXT,
    website_url         TEXT,
    website_domain      TEXT,
    resolution          TEXT NOT NULL DEFAULT 'PENDING',
    max_score           DOUBLE PRECISION NOT NULL DEFAULT 0,
    offer_count         INTEGER NOT NULL DEFAULT 0,
    unique_offer_count  INTEGER NOT NULL DEFAULT 0,
    strong_offer_count  INTEGER NOT NULL DEFAULT 0,
    open_offer_count    INTEGER NOT NULL DEFAULT 0,
    new_offers_30d      INTEGER NOT NULL DEFAULT 0,
    closed_offers_30d   INTEGER NOT NULL DEFAULT 0,
    avg_strong_score    DOUBLE PRECISION,
    top_category_id     TEXT,
    top_offer_id        BIGINT,
    category_max_scores TEXT NOT NULL DEFAULT '{}',
    last_strong_at      TIMESTAMPTZ,
    first_seen_at       TIMESTAMPTZ,
    last_seen_at        TIMESTAMPTZ,
    needs_aggregation   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
-- Identity: the domain first; the normalized name only among companies without a domain (defect 11,
-- docs/original-system.md#defect-11).
-- NULLs are distinct in unique indexes, so neither index needs `IS NOT NULL` in a WHERE clause; leaving it
-- out matters: a partial-index condition that depends on a bound value makes SQLite re-prepare the
-- statement on every execution.
CREATE UNIQUE INDEX uq_companies_website_domain ON companies (website_domain);
CREATE UNIQUE INDEX uq_companies_name_without_domain ON companies (normalized_name) WHERE website_domain IS NULL;
CREATE INDEX idx_companies_normalized_name ON companies (normalized_name);
CREATE INDEX idx_companies_rank ON companies (max_score DESC, strong_offer_count DESC, id);
CREATE INDEX idx_companies_resolution ON companies (resolution);

CREATE TABLE company_directory_entries (
    company_id    BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    source        TEXT NOT NULL,
    source_ref    TEXT,
    first_seen_at TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (company_id, source)
);
CREATE INDEX idx_directory_entries_source ON company_directory_entries (source);

CREATE TABLE locks (
    name         TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    acquired_at  TIMESTAMPTZ NOT NULL,
    heartbeat_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);

-- Unit leases: one row per claimed unit; writes of a unit's outcome are fenced by (owner, attempt).
CREATE TABLE leases (
    kind        TEXT NOT NULL,
    unit_key    TEXT NOT NULL,
    owner       TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    acquired_at TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, unit_key)
);
CREATE INDEX idx_leases_owner ON leases (owner);

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    cycle_id    TEXT NOT NULL,
    stage       TEXT NOT NULL,
    status      TEXT NOT NULL,
    owner       TEXT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    counters    TEXT NOT NULL DEFAULT '{}',
    error       TEXT
);
CREATE INDEX idx_runs_stage ON runs (stage, id);
CREATE INDEX idx_runs_owner_status ON runs (owner, status);
CREATE INDEX idx_runs_started_at ON runs (started_at);

CREATE TABLE stage_state (
    stage                TEXT PRIMARY KEY,
    status               TEXT NOT NULL,
    last_run_at          TIMESTAMPTZ,
    last_success_at      TIMESTAMPTZ,
    last_error_at        TIMESTAMPTZ,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    error_class          TEXT,
    error_message        TEXT,
    updated_at           TIMESTAMPTZ NOT NULL
);

CREATE TABLE provider_pauses (
    provider     TEXT PRIMARY KEY,
    paused_until TIMESTAMPTZ NOT NULL,
    reason       TEXT,
    set_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TIMESTAMPTZ NOT NULL,
    kind       TEXT NOT NULL,
    stage      TEXT,
    company_id BIGINT,
    subject    TEXT,
    detail     TEXT
);
CREATE INDEX idx_events_at ON events (at);
CREATE INDEX idx_events_kind ON events (kind, id);
