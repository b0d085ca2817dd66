-- Portable SQL (PostgreSQL, MariaDB, H2), checked by the build on all three; safe to run again.
-- Adds the live-token columns to TG_FAMILY for a store that runs with tokengate.schema-generation=none (with create,
-- the store runs this itself). Stop every server of the earlier version first: it writes a row per token, which this
-- version no longer reads back once the family has moved on. Families keep working: the live token of each (a row of
-- TG_REFRESH_TOKEN) refreshes once more, into the family's row; from then on the family adds no rows. The rotated rows
-- left behind are deleted by the cleanup after tokengate.cleanup-keep-rotated.

ALTER TABLE TG_FAMILY ADD COLUMN IF NOT EXISTS GENERATION BIGINT;
ALTER TABLE TG_FAMILY ADD COLUMN IF NOT EXISTS TOKEN_HASH VARCHAR(64);
ALTER TABLE TG_FAMILY ADD COLUMN IF NOT EXISTS TOKEN_SECRET_ID VARCHAR(64);
ALTER TABLE TG_FAMILY ADD COLUMN IF NOT EXISTS TOKEN_ISSUED_AT BIGINT;
