//! The feedback tables of the schema (migration `2026-12-02-000010_feedback`).

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql::UtcTime;
    /// Model feedback from the sheet, once per (company, value, notes).
    feedback_events (id) {
        /// Row id.
        id -> BigInt,
        /// The company.
        company_id -> BigInt,
        /// `OK`, `FP` or `FN`.
        value -> Text,
        /// The notes of column L; `""` when none.
        notes -> Text,
        /// The sheet row it was first read from.
        sheet_row -> Integer,
        /// The feedback run that stored it.
        run_id -> Nullable<BigInt>,
        /// When it was stored.
        created_at -> UtcTime,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql::UtcTime;
    /// The sheet rows the last feedback run could not take (replaced by each run).
    feedback_rejections (id) {
        /// Row id.
        id -> BigInt,
        /// The feedback run that found it.
        run_id -> Nullable<BigInt>,
        /// The 1-based sheet row.
        sheet_row -> Integer,
        /// Column A, when it is a company id.
        company_id -> Nullable<BigInt>,
        /// The rejected cell's text.
        value -> Text,
        /// Why it was rejected.
        reason -> Text,
        /// When it was found.
        created_at -> UtcTime,
    }
}
