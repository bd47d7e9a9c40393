//! The diesel schema of the SQLite backend (kept by hand in step with `migrations/sqlite`).

diesel::table! {
    use diesel::sql_types::*;
    companies (id) {
        id -> BigInt,
        name_raw -> Nullable<Text>,
        name_display -> Nullable<Text>,
        normalized_name -> Nullable<Text>,
        website_url -> Nullable<Text>,
        website_domain -> Nullable<Text>,
        resolution -> Text,
        max_score -> Double,
        offer_count -> Integer,
        unique_offer_count -> Integer,
        strong_offer_count -> Integer,
        open_offer_count -> Integer,
        new_offers_30d -> Integer,
        closed_offers_30d -> Integer,
        avg_strong_score -> Nullable<Double>,
        top_category_id -> Nullable<Text>,
        top_offer_id -> Nullable<BigInt>,
        category_max_scores -> Text,
        last_strong_at -> Nullable<TimestamptzSqlite>,
        first_seen_at -> Nullable<TimestamptzSqlite>,
        last_seen_at -> Nullable<TimestamptzSqlite>,
        needs_aggregation -> Bool,
        created_at -> TimestamptzSqlite,
        updated_at -> TimestamptzSqlite,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    company_directory_entries (company_id, source) {
        company_id -> BigInt,
        source -> Text,
        source_ref -> Nullable<Text>,
        first_seen_at -> TimestamptzSqlite,
        last_seen_at -> TimestamptzSqlite,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    locks (name) {
        name -> Text,
        owner -> Text,
        acquired_at -> TimestamptzSqlite,
        heartbeat_at -> TimestamptzSqlite,
        expires_at -> TimestamptzSqlite,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    leases (kind, unit_key) {
        kind -> Text,
        unit_key -> Text,
        owner -> Text,
        attempt -> Integer,
        acquired_at -> TimestamptzSqlite,
        expires_at -> TimestamptzSqlite,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    runs (id) {
        id -> BigInt,
        cycle_id -> Text,
        stage -> Text,
        status -> Text,
        owner -> Text,
        started_at -> TimestamptzSqlite,
        finished_at -> Nullable<TimestamptzSqlite>,
        counters -> Text,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    stage_state (stage) {
        stage -> Text,
        status -> Text,
        last_run_at -> Nullable<TimestamptzSqlite>,
        last_success_at -> Nullable<TimestamptzSqlite>,
        last_error_at -> Nullable<TimestamptzSqlite>,
        consecutive_failures -> Integer,
        error_class -> Nullable<Text>,
        error_message -> Nullable<Text>,
        updated_at -> TimestamptzSqlite,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    provider_pauses (provider) {
        provider -> Text,
        paused_until -> TimestamptzSqlite,
        reason -> Nullable<Text>,
        set_at -> TimestamptzSqlite,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    events (id) {
        id -> BigInt,
        at -> TimestamptzSqlite,
        kind -> Text,
        stage -> Nullable<Text>,
        company_id -> Nullable<BigInt>,
        subject -> Nullable<Text>,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    boards (id) {
        id -> BigInt,
        company_id -> BigInt,
        reference -> Text,
        provider -> Text,
        board_key -> Text,
        status -> Text,
        status_reason -> Nullable<Text>,
        source -> Text,
        evidence_url -> Nullable<Text>,
        found_on -> Nullable<Text>,
        how -> Nullable<Text>,
        job_count -> Nullable<Integer>,
        provider_company_name -> Nullable<Text>,
        validated_at -> Nullable<TimestamptzSqlite>,
        first_seen_at -> TimestamptzSqlite,
        updated_at -> TimestamptzSqlite,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    company_discovery (company_id) {
        company_id -> BigInt,
        last_checked_at -> Nullable<TimestamptzSqlite>,
        outcome -> Text,
        failures -> Integer,
        error_class -> Nullable<Text>,
        last_error -> Nullable<Text>,
        next_due_at -> TimestamptzSqlite,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    postings (id) {
        id -> BigInt,
        board_id -> BigInt,
        company_id -> BigInt,
        external_id -> Text,
        url -> Text,
        title -> Text,
        description -> Text,
        locations -> Text,
        department -> Nullable<Text>,
        employment_type -> Nullable<Text>,
        workplace -> Nullable<Text>,
        salary -> Nullable<Text>,
        requisition_id -> Nullable<Text>,
        published_at -> Nullable<TimestamptzSqlite>,
        source_updated_at -> Nullable<TimestamptzSqlite>,
        content_hash -> Text,
        description_pending -> Bool,
        first_seen_at -> TimestamptzSqlite,
        changed_at -> TimestamptzSqlite,
        closed_at -> Nullable<TimestamptzSqlite>,
        canonical_id -> Nullable<BigInt>,
        repost_count -> Integer,
        needs_scoring -> Bool,
        score -> Nullable<Integer>,
        strong -> Bool,
        top_category_id -> Nullable<Text>,
        catalog_version -> Nullable<Text>,
        explanation -> Nullable<Text>,
        scored_at -> Nullable<TimestamptzSqlite>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    board_ingestion (board_id) {
        board_id -> BigInt,
        etag -> Nullable<Text>,
        last_modified -> Nullable<Text>,
        last_fetched_at -> Nullable<TimestamptzSqlite>,
        last_outcome -> Text,
        failures -> Integer,
        error_class -> Nullable<Text>,
        last_error -> Nullable<Text>,
        next_due_at -> TimestamptzSqlite,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    feedback_events (id) {
        id -> BigInt,
        company_id -> BigInt,
        value -> Text,
        notes -> Text,
        sheet_row -> Integer,
        run_id -> Nullable<BigInt>,
        created_at -> TimestamptzSqlite,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    feedback_rejections (id) {
        id -> BigInt,
        run_id -> Nullable<BigInt>,
        sheet_row -> Integer,
        company_id -> Nullable<BigInt>,
        value -> Text,
        reason -> Text,
        created_at -> TimestamptzSqlite,
    }
}

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
