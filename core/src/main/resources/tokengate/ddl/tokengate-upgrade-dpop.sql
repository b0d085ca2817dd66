-- Portable SQL (PostgreSQL, MariaDB, H2), checked by the build on all three; safe to run again.
-- Adds DPOP_JKT to TG_FAMILY for a store that runs with tokengate.schema-generation=none (with create, the store runs
-- this itself): the thumbprint of the DPoP key a public client's refresh tokens are bound to (RFC 9449 §5). Families
-- written before it have none and stay unbound. Run it before the first server of this version starts.

ALTER TABLE TG_FAMILY ADD COLUMN IF NOT EXISTS DPOP_JKT VARCHAR(64);
