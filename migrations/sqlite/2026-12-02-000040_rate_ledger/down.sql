DROP TABLE rate_ledger;
