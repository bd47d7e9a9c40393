DROP TABLE company_discovery;
DROP TABLE boards;
