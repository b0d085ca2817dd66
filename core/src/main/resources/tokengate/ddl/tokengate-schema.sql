-- Portable SQL, checked by the build on PostgreSQL, MariaDB (InnoDB) and H2 (Payara's default datasource).
-- TokenGate refresh-token store: the tables and indexes the JPA store uses (io.tokengate.core.refresh.jpa).
-- Apply once, then set tokengate.schema-generation=none so the application never issues DDL itself.
-- Instants are epoch milliseconds (UTC); tokens are stored only as keyed hashes. ISSUER is the issuer of the application
-- that wrote a row: applications sharing these tables see only their own rows.
-- A family is one row whatever the number of its refreshes: GENERATION, TOKEN_HASH, TOKEN_SECRET_ID and TOKEN_ISSUED_AT
-- describe its one live token (earlier tokens are recognised from the generation inside them, never stored).
-- Tables made by TokenGate 0.1 have no ISSUER column: apply tokengate-upgrade-issuer.sql instead. Tables made before the
-- live-token columns: apply tokengate-upgrade-live-token.sql.

CREATE TABLE TG_FAMILY (
    FAMILY_ID           VARCHAR(64)   NOT NULL,
    ISSUER              VARCHAR(255)  NOT NULL,
    SUBJECT             VARCHAR(255)  NOT NULL,
    CLIENT_ID           VARCHAR(255)  NOT NULL,
    SCOPES              VARCHAR(2000) NOT NULL,
    GROUPS_JSON         VARCHAR(4000) NOT NULL,
    AUTH_TIME           BIGINT,
    CREATED_AT          BIGINT        NOT NULL,
    LAST_USED_AT        BIGINT        NOT NULL,
    IDLE_EXPIRES_AT     BIGINT        NOT NULL,
    ABSOLUTE_EXPIRES_AT BIGINT        NOT NULL,
    STATE               VARCHAR(16)   NOT NULL,
    REVOKED_AT          BIGINT,
    REVOKED_REASON      VARCHAR(64),
    USER_AGENT          VARCHAR(512),
    REMOTE_ADDRESS      VARCHAR(64),
    GENERATION          BIGINT,
    TOKEN_HASH          VARCHAR(64),
    TOKEN_SECRET_ID     VARCHAR(64),
    TOKEN_ISSUED_AT     BIGINT,
    DPOP_JKT            VARCHAR(64),
    PRIMARY KEY (FAMILY_ID)
);
CREATE INDEX TG_FAMILY_SUBJECT_IX ON TG_FAMILY (ISSUER, SUBJECT);
CREATE INDEX TG_FAMILY_CLIENT_IX ON TG_FAMILY (ISSUER, CLIENT_ID);
CREATE INDEX TG_FAMILY_IDLE_IX ON TG_FAMILY (IDLE_EXPIRES_AT);
CREATE INDEX TG_FAMILY_ABSOLUTE_IX ON TG_FAMILY (ABSOLUTE_EXPIRES_AT);
CREATE INDEX TG_FAMILY_REVOKED_IX ON TG_FAMILY (REVOKED_AT);

-- one row per token, as versions before the live-token columns wrote them: still read (such a token refreshes once more,
-- into its family's row) and cleaned up (tokengate.cleanup-keep-rotated); no new rows are written
CREATE TABLE TG_REFRESH_TOKEN (
    TOKEN_HASH     VARCHAR(64)  NOT NULL,
    ISSUER         VARCHAR(255) NOT NULL,
    SECRET_ID      VARCHAR(64)  NOT NULL,
    FAMILY_ID      VARCHAR(64)  NOT NULL,
    STATE          VARCHAR(16)  NOT NULL,
    ISSUED_AT      BIGINT       NOT NULL,
    ROTATED_AT     BIGINT,
    SUCCESSOR_HASH VARCHAR(64),
    PRIMARY KEY (TOKEN_HASH)
);
CREATE INDEX TG_REFRESH_TOKEN_FAMILY_IX ON TG_REFRESH_TOKEN (FAMILY_ID);
CREATE INDEX TG_REFRESH_TOKEN_ROTATED_IX ON TG_REFRESH_TOKEN (ISSUER, ROTATED_AT);

-- cuts of the revocation registry kept across restarts (revoked access tokens, "not before" instants of subjects;
-- a family's cut is its row in TG_FAMILY); the key is the SHA-256 (hex) of issuer, kind and key; a row can go once DROP_AT has
-- passed, when every token it concerns has expired
CREATE TABLE TG_REVOCATION (
    REVOCATION_ID VARCHAR(64)  NOT NULL,
    ISSUER        VARCHAR(255) NOT NULL,
    KIND          VARCHAR(16)  NOT NULL,
    REVOKED_KEY   VARCHAR(255) NOT NULL,
    CUT_AT        BIGINT       NOT NULL,
    DROP_AT       BIGINT       NOT NULL,
    PRIMARY KEY (REVOCATION_ID)
);
CREATE INDEX TG_REVOCATION_DROP_IX ON TG_REVOCATION (ISSUER, DROP_AT);

-- authorization codes (the authorization code grant): only the keyed hash of a code, what it is bound to (client,
-- redirect URI, PKCE challenge, user), when it expires (60 s after issue) and was used, and the family its use issued,
-- so that a replayed code revokes it. Tables of an earlier TokenGate: these two statements alone add it.
CREATE TABLE TG_AUTHORIZATION_CODE (
    CODE_HASH      VARCHAR(64)   NOT NULL,
    ISSUER         VARCHAR(255)  NOT NULL,
    CLIENT_ID      VARCHAR(255)  NOT NULL,
    REDIRECT_URI   VARCHAR(2000) NOT NULL,
    CODE_CHALLENGE VARCHAR(64)   NOT NULL,
    SUBJECT        VARCHAR(255)  NOT NULL,
    GROUPS_JSON    VARCHAR(4000) NOT NULL,
    SCOPES         VARCHAR(2000) NOT NULL,
    AUTH_TIME      BIGINT        NOT NULL,
    ISSUED_AT      BIGINT        NOT NULL,
    EXPIRES_AT     BIGINT        NOT NULL,
    REDEEMED_AT    BIGINT,
    FAMILY_ID      VARCHAR(64),
    PRIMARY KEY (CODE_HASH)
);
CREATE INDEX TG_AUTHORIZATION_CODE_EXPIRES_IX ON TG_AUTHORIZATION_CODE (ISSUER, EXPIRES_AT);

-- the issuer's shared key set (tokengate.keys.source=database): one row per issuer, the keys sealed (private keys
-- encrypted under the key-encryption key), VERSION incremented by every change (compare-and-set). Tables of an earlier
-- TokenGate: this statement alone adds it.
CREATE TABLE TG_KEY_SET (
    ISSUER     VARCHAR(255)   NOT NULL,
    VERSION    BIGINT         NOT NULL,
    SEALED     VARCHAR(16000) NOT NULL,
    UPDATED_AT BIGINT         NOT NULL,
    PRIMARY KEY (ISSUER)
);
