-- Portable SQL (PostgreSQL, MariaDB, H2), checked by the build on all three; safe to run again.
-- Upgrades the tables of TokenGate 0.1 (no ISSUER column) for a store that runs with tokengate.schema-generation=none
-- (with create, the store runs this itself). Stop every server of TokenGate 0.1 first. The first application that
-- starts afterwards takes the families and refresh tokens without an issuer as its own (log TG-1011): start the
-- application that wrote them first. Revocations kept without an issuer are enforced by every application until they
-- expire. ISSUER stays nullable in an upgraded schema (a fresh one has it NOT NULL); the store always writes it.

ALTER TABLE TG_FAMILY ADD COLUMN IF NOT EXISTS ISSUER VARCHAR(255);
ALTER TABLE TG_REFRESH_TOKEN ADD COLUMN IF NOT EXISTS ISSUER VARCHAR(255);
ALTER TABLE TG_REVOCATION ADD COLUMN IF NOT EXISTS ISSUER VARCHAR(255);
CREATE INDEX IF NOT EXISTS TG_FAMILY_ISSUER_SUBJECT_IX ON TG_FAMILY (ISSUER, SUBJECT);
CREATE INDEX IF NOT EXISTS TG_FAMILY_ISSUER_CLIENT_IX ON TG_FAMILY (ISSUER, CLIENT_ID);
CREATE INDEX IF NOT EXISTS TG_REFRESH_TOKEN_ISSUER_IX ON TG_REFRESH_TOKEN (ISSUER, ROTATED_AT);
CREATE INDEX IF NOT EXISTS TG_REVOCATION_ISSUER_IX ON TG_REVOCATION (ISSUER, DROP_AT);
