DROP TABLE events;
DROP TABLE provider_pauses;
DROP TABLE stage_state;
DROP TABLE runs;
DROP TABLE leases;
DROP TABLE locks;
DROP TABLE company_directory_entries;
DROP TABLE companies;
