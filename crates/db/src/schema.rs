//! The diesel schema, one for both backends (kept by hand in step with `migrations/sqlite` and
//! `migrations/postgres`; a test compares the three).

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql::UtcTime;
    /// Companies: their identity, the sales team's resolution and the metrics aggregation computes.
    companies (id) {
        /// The company id (the sheet's column A).
        id -> BigInt,
        /// The name as the first listing gave it.
        name_raw -> Nullable<Text>,
        /// The name as shown (white space collapsed).
        name_display -> Nullable<Text>,
        /// The name as matched: identity of companies without a domain.
        normalized_name -> Nullable<Text>,
        /// The website.
        website_url -> Nullable<Text>,
        /// The website's domain without `www.`: the identity (unique).
        website_domain -> Nullable<Text>,
        /// The sales team's verdict (`PENDING`, `IN_PROGRESS`, `ACCEPTED`, ...).
        resolution -> Text,
        /// The best score of its canonical postings (ranking key 1).
        max_score -> Double,
        /// Σ (1 + repost_count) over canonical postings.
        offer_count -> Integer,
        /// Canonical postings.
        unique_offer_count -> Integer,
        /// Canonical postings at or above the strong threshold (ranking key 2).
        strong_offer_count -> Integer,
        /// Canonical postings open now.
        open_offer_count -> Integer,
        /// Canonical postings first seen in the last 30 days.
        new_offers_30d -> Integer,
        /// Canonical postings closed in the last 30 days.
        closed_offers_30d -> Integer,
        /// Mean score of the strong postings.
        avg_strong_score -> Nullable<Double>,
        /// The top posting's top category.
        top_category_id -> Nullable<Text>,
        /// The top posting.
        top_offer_id -> Nullable<BigInt>,
        /// JSON object {category id: best score}.
        category_max_scores -> Text,
        /// The latest publication of a strong posting.
        last_strong_at -> Nullable<UtcTime>,
        /// The earliest first sight of any of its postings.
        first_seen_at -> Nullable<UtcTime>,
        /// The latest sight of any of its postings.
        last_seen_at -> Nullable<UtcTime>,
        /// Its postings, scores or resolution changed: the scoring stage recomputes its metrics.
        needs_aggregation -> Bool,
        /// When the directory first stored it.
        created_at -> UtcTime,
        /// When the row last changed.
        updated_at -> UtcTime,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql::UtcTime;
    /// Which directory source listed which company, and when.
    company_directory_entries (company_id, source) {
        /// The company.
        company_id -> BigInt,
        /// The source's name.
        source -> Text,
        /// The source's own reference of the company (a detail page URL).
        source_ref -> Nullable<Text>,
        /// When the source first listed it.
        first_seen_at -> UtcTime,
        /// When the source last listed it.
        last_seen_at -> UtcTime,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql::UtcTime;
    /// Named locks (`cycle`, or a stage's key under `--shared`), renewed by their holder's heartbeat.
    locks (name) {
        /// The lock's name.
        name -> Text,
        /// Its holder, `host:pid:random`.
        owner -> Text,
        /// When the holder took it.
        acquired_at -> UtcTime,
        /// The holder's last renewal.
        heartbeat_at -> UtcTime,
        /// When another process may take it over.
        expires_at -> UtcTime,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql::UtcTime;
    /// Unit leases: one row per claimed unit; writes of its outcome are fenced by (owner, attempt).
    leases (kind, unit_key) {
        /// The stage's lease kind.
        kind -> Text,
        /// The unit (a company or board id, as text).
        unit_key -> Text,
        /// Who claimed it.
        owner -> Text,
        /// Bumped at every claim: a write under an older attempt is refused.
        attempt -> Integer,
        /// When it was claimed.
        acquired_at -> UtcTime,
        /// When the claim lapses unless renewed.
        expires_at -> UtcTime,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql::UtcTime;
    /// Run history: one row per stage per cycle.
    runs (id) {
        /// The run id.
        id -> BigInt,
        /// The cycle it belongs to.
        cycle_id -> Text,
        /// The stage's key.
        stage -> Text,
        /// `running`, `succeeded`, `partial`, `failed`, `skipped`, `interrupted` or `abandoned`.
        status -> Text,
        /// Who ran it.
        owner -> Text,
        /// When it started.
        started_at -> UtcTime,
        /// When it ended.
        finished_at -> Nullable<UtcTime>,
        /// Every counter, as one flat JSON object.
        counters -> Text,
        /// The failure or interruption message.
        error -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql::UtcTime;
    /// One row per stage: its last outcome and failure streak.
    stage_state (stage) {
        /// The stage's key.
        stage -> Text,
        /// Its last run's status.
        status -> Text,
        /// When it last started.
        last_run_at -> Nullable<UtcTime>,
        /// When it last succeeded.
        last_success_at -> Nullable<UtcTime>,
        /// When it last failed or finished partially.
        last_error_at -> Nullable<UtcTime>,
        /// Failed or partial runs since the last success.
        consecutive_failures -> Integer,
        /// The last error's class.
        error_class -> Nullable<Text>,
        /// The last error, at most 500 characters.
        error_message -> Nullable<Text>,
        /// When the row last changed.
        updated_at -> UtcTime,
    }
}

diesel::table! {
    /// The fleet's rate ledger: where each provider's last reserved window of request turns ends.
    rate_ledger (provider) {
        /// The provider's key.
        provider -> Text,
        /// The end of the provider's last window, microseconds since the Unix epoch (system clock).
        free_at -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql::UtcTime;
    /// Provider pauses, by hand or after a 429 streak.
    provider_pauses (provider) {
        /// The provider's key.
        provider -> Text,
        /// No request goes to the provider before this instant.
        paused_until -> UtcTime,
        /// Why.
        reason -> Nullable<Text>,
        /// When the pause was set.
        set_at -> UtcTime,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql::UtcTime;
    /// Notable transitions (lock takeovers, pauses, boards found or reassigned).
    events (id) {
        /// The event id (events are ordered by it).
        id -> BigInt,
        /// When it was recorded.
        at -> UtcTime,
        /// What happened (`lock_taken_over`, `pause_set`, `board_found`, ...).
        kind -> Text,
        /// The stage it happened in.
        stage -> Nullable<Text>,
        /// The company it concerns.
        company_id -> Nullable<BigInt>,
        /// What it happened to (a lock, a provider, a board).
        subject -> Nullable<Text>,
        /// Free text.
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql::UtcTime;
    /// The job boards found for companies, with their evidence and status.
    boards (id) {
        /// The board id.
        id -> BigInt,
        /// The company that owns it.
        company_id -> BigInt,
        /// The reference as found or declared (the tenant keeps the provider's case).
        reference -> Text,
        /// The provider's key.
        provider -> Text,
        /// The reference normalized (tenant in lower case): one board, one owner (unique).
        board_key -> Text,
        /// `active`, `suspect`, `gone` or `invalid`.
        status -> Text,
        /// Why it is suspect, invalid or gone.
        status_reason -> Nullable<Text>,
        /// `discovery`, or `config` for a `[[boards]]` entry.
        source -> Text,
        /// The ATS URL as found on the site.
        evidence_url -> Nullable<Text>,
        /// The page it was found on.
        found_on -> Nullable<Text>,
        /// `link`, `iframe`, `script` or `text`.
        how -> Nullable<Text>,
        /// Open postings the provider listed when last validated.
        job_count -> Nullable<Integer>,
        /// The company name the provider gives.
        provider_company_name -> Nullable<Text>,
        /// When its provider last confirmed it.
        validated_at -> Nullable<UtcTime>,
        /// When it was first stored.
        first_seen_at -> UtcTime,
        /// When the row last changed.
        updated_at -> UtcTime,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql::UtcTime;
    /// Each company's discovery schedule; a company without a row was never checked.
    company_discovery (company_id) {
        /// The company.
        company_id -> BigInt,
        /// When discovery last read its site.
        last_checked_at -> Nullable<UtcTime>,
        /// `found`, `not_found` or `error`.
        outcome -> Text,
        /// Consecutive failures (a rate-limit snooze does not count).
        failures -> Integer,
        /// The last error's class.
        error_class -> Nullable<Text>,
        /// The last error.
        last_error -> Nullable<Text>,
        /// When discovery reads the site again.
        next_due_at -> UtcTime,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql::UtcTime;
    /// Every board's postings, normalized, with their repost links and scores.
    postings (id) {
        /// The posting id.
        id -> BigInt,
        /// Its board.
        board_id -> BigInt,
        /// Its board's company.
        company_id -> BigInt,
        /// The provider's id, unique within its board.
        external_id -> Text,
        /// The public URL.
        url -> Text,
        /// The job title.
        title -> Text,
        /// Plain text.
        description -> Text,
        /// JSON array of strings.
        locations -> Text,
        /// The team or department.
        department -> Nullable<Text>,
        /// The provider's label (`Full-time`, ...).
        employment_type -> Nullable<Text>,
        /// `remote`, `hybrid` or `onsite`.
        workplace -> Nullable<Text>,
        /// JSON object {min, max, currency, period}.
        salary -> Nullable<Text>,
        /// The employer's requisition number.
        requisition_id -> Nullable<Text>,
        /// When the provider says it was published.
        published_at -> Nullable<UtcTime>,
        /// When the provider says it last changed.
        source_updated_at -> Nullable<UtcTime>,
        /// SHA-256 of the normalized posting: equal means nothing to write and nothing to rescore.
        content_hash -> Text,
        /// The detail call was not made (budget spent): the description is to come.
        description_pending -> Bool,
        /// When ingestion first stored it.
        first_seen_at -> UtcTime,
        /// When the stored content last changed.
        changed_at -> UtcTime,
        /// When a complete fetch of its board no longer listed it; cleared when it comes back.
        closed_at -> Nullable<UtcTime>,
        /// The earliest posting of the company it repeats; NULL for a canonical posting.
        canonical_id -> Nullable<BigInt>,
        /// Reposts pointing here.
        repost_count -> Integer,
        /// New or changed since it was last scored.
        needs_scoring -> Bool,
        /// 0–10, under `catalog_version`.
        score -> Nullable<Integer>,
        /// At or above the catalog's strong threshold.
        strong -> Bool,
        /// The category that contributed most.
        top_category_id -> Nullable<Text>,
        /// The catalog's content hash it was scored with: another version rescores it.
        catalog_version -> Nullable<Text>,
        /// JSON: the hits and contributions the score was computed from.
        explanation -> Nullable<Text>,
        /// When it was last scored.
        scored_at -> Nullable<UtcTime>,
        /// SHA-256 of the raw item it was last read from: the same hash on the next fetch skips reading it.
        source_hash -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql::UtcTime;
    /// Each board's fetch schedule and validators; an active board without a row was never fetched.
    board_ingestion (board_id) {
        /// The board.
        board_id -> BigInt,
        /// The last complete fetch's ETag, sent back as If-None-Match.
        etag -> Nullable<Text>,
        /// Its Last-Modified, sent back as If-Modified-Since.
        last_modified -> Nullable<Text>,
        /// The last fetch that read the board (its open postings were seen then).
        last_fetched_at -> Nullable<UtcTime>,
        /// `ok`, `not_modified`, `incomplete`, `error` or `gone`.
        last_outcome -> Text,
        /// Consecutive failures (a rate-limit snooze does not count).
        failures -> Integer,
        /// The last error's class.
        error_class -> Nullable<Text>,
        /// The last error.
        last_error -> Nullable<Text>,
        /// When ingestion fetches the board again.
        next_due_at -> UtcTime,
        /// When a complete fetch last read every posting's detail (SmartRecruiters, Workday).
        described_at -> Nullable<UtcTime>,
    }
}

mod feedback;
pub use feedback::{feedback_events, feedback_rejections};

diesel::joinable!(company_directory_entries -> companies (company_id));
diesel::joinable!(boards -> companies (company_id));
diesel::joinable!(company_discovery -> companies (company_id));

diesel::joinable!(postings -> boards (board_id));
diesel::joinable!(postings -> companies (company_id));
diesel::joinable!(board_ingestion -> boards (board_id));
diesel::joinable!(feedback_events -> companies (company_id));

diesel::allow_tables_to_appear_in_same_query!(
    companies,
    boards,
    company_discovery,
    postings,
    board_ingestion,
    feedback_events
);
