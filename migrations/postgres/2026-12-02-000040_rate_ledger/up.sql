-- The fleet's rate ledger (docs/ARCHITECTURE.md#politeness-across-workers): per provider, the instant (system
-- clock, microseconds since the Unix epoch) at which its last reserved window of request turns ends. Every
-- worker takes its turns from here, a short window at a time, so a provider's rate holds for all of them.
CREATE TABLE rate_ledger (
    provider TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    free_at  BIGINT NOT NULL
);
