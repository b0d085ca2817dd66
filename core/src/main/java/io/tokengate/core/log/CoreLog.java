package io.tokengate.core.log;

import java.lang.System.Logger.Level;

/** The log ids of the core module: TG-00xx configuration, TG-01xx validation, TG-02xx keys and the issuer a resource server trusts, TG-10xx refresh, TG-11xx token endpoint. */
public final class CoreLog {
    public static final LogId CONFIGURATION_ERROR = new LogId("TG-0001", Level.ERROR, "TokenGate configuration: {0}",
            "a setting is wrong: the message names the key and the start fails (an exception, logged by the server)");
    public static final LogId REVOCATION_CHECK_FAILED = new LogId("TG-0101", Level.ERROR,
            "the revocation registry failed; refusing the token: {0}",
            "the revocation registry could not answer: the access token was refused");
    public static final LogId KEY_FILE_EXPOSED = new LogId("TG-0201", Level.WARNING,
            "the key file {0} was readable by others; it is owner-only again. Treat its keys as exposed: rotate them.",
            "a generated key file was readable by others: it is owner-only again; rotate its keys");
    public static final LogId KEYS_UNREACHABLE = new LogId("TG-0203", Level.WARNING,
            "cannot fetch the issuer''s keys from {0} ({1}): the last good key set stays in use",
            "a resource server could not fetch its issuer's JWKS: it goes on with the last good key set and tries again");
    public static final LogId NO_REVOCATION_FEED = new LogId("TG-0204", Level.WARNING,
            "resource server for issuer {0} reads no revocation feed (tokengate.revocation-feed-client is not set): a revoked access token is accepted until it expires",
            "a resource server was configured without the issuer's revocation feed: revocations reach it only by expiry");
    public static final LogId REVOCATION_FEED_STALE = new LogId("TG-0205", Level.ERROR,
            "the revocation feed {0} cannot be read ({3}) and has not answered within {1} (or not yet since the start): {2} until it answers",
            "a resource server could not read its issuer's revocation feed for longer than tokengate.revocation-max-staleness (or not yet since it started): it refuses tokens with 503 (or, with tokengate.revocation-when-stale=accept, accepts them unchecked)");
    public static final LogId REVOCATION_FEED_BACK = new LogId("TG-0206", Level.INFO,
            "the revocation feed {0} answers again: tokens are checked against it",
            "the revocation feed answers again after TG-0205");
    public static final LogId RESOURCE_SERVER_STARTED = new LogId("TG-0207", Level.INFO,
            "resource server started: trusting issuer {0}, keys from {1}, revocation feed {2}",
            "a resource server started: the issuer it trusts, where its keys and its revocation feed come from");
    public static final LogId SHARED_KEYS_UNREADABLE = new LogId("TG-0208", Level.WARNING,
            "the shared key set of {0} cannot be read from or written to the database ({1}): this server signs and verifies with the keys it has and tries again every second",
            "a server of the issuer could not read the shared key set (tokengate.keys.source=database): it goes on with the keys it has");
    public static final LogId SHARED_KEYS_CHANGED = new LogId("TG-0209", Level.INFO,
            "the shared key set of {0} is now version {1} ({2}): {3}",
            "the issuer's shared key set changed (created, rotated or retired here, on another server or on schedule): its version and keys");
    public static final LogId SHARED_KEYS_UNTRUSTED = new LogId("TG-0210", Level.ERROR,
            "the shared key set of {0} in the database is not one this server can use: {1}; it keeps the keys it has and follows no change until this is put right",
            "a server of the issuer cannot open or trust the stored shared key set (another key-encryption key, an altered, replayed or rolled-back record, one too large): it keeps its keys and follows no change");
    public static final LogId REUSE_DETECTED = new LogId("TG-1001", Level.WARNING,
            "refresh token reuse detected: family {0} of client {1} revoked (subject {2}, from {3})",
            "a rotated refresh token came back: its family is revoked (theft, or a client that lost a response)");
    public static final LogId EVENT_LISTENER_FAILED = new LogId("TG-1002", Level.WARNING, "a token event listener failed on {0}",
            "a token event listener threw: the request was not failed");
    public static final LogId ACCESS_TOKENS_NOT_CUT = new LogId("TG-1003", Level.ERROR,
            "family {0} is revoked but its live access tokens could not be cut yet: {1}",
            "a family is revoked but cutting its live access tokens failed: the next request with any token of the family cuts them again");
    public static final LogId SECRET_UNKNOWN_HERE = new LogId("TG-1004", Level.ERROR,
            "refresh-token secret {0} is unknown here; add it to every server before making it current",
            "a refresh token was made with a secret this server does not have: add it to every server");
    public static final LogId STARTUP_TASK_FAILED = new LogId("TG-1005", Level.WARNING,
            "a start-up task of the refresh-token store failed (tried again in {0}): {1}",
            "a start-up task of the store (restoring revocations) failed: tried again every 5 seconds");
    public static final LogId REVOCATIONS_RESTORED = new LogId("TG-1006", Level.INFO,
            "{0} revocations of live access tokens kept before this start are enforced again",
            "revocations kept before this start are enforced again: how many");
    public static final LogId STORE_UNREACHABLE = new LogId("TG-1007", Level.WARNING,
            "the refresh-token store on {0} cannot reach its database ({1}): the token, revocation and"
            + " introspection endpoints answer 503 until it does; bearer validation goes on, but revocations kept before this start"
            + " are enforced only once it connects; trying again every {2}",
            "started without the database: the token endpoints answer 503 until it is reachable (names the datasource)");
    public static final LogId STORE_CONNECTED = new LogId("TG-1008", Level.INFO,
            "the refresh-token store on {0} is connected: the token endpoints serve again",
            "the database is reachable again: the token endpoints serve");
    public static final LogId REVOCATION_NOT_STORED = new LogId("TG-1010", Level.WARNING,
            "a revocation ({0} {1}) is enforced but could not be stored, so a restart before {2} would forget it: {3}",
            "a revocation is enforced but could not be written to the database: a restart before it expires forgets it");
    public static final LogId ROWS_CLAIMED = new LogId("TG-1011", Level.INFO,
            "{0} families and refresh tokens of the store had no issuer (tables of TokenGate 0.1) and are now those of {1}",
            "families and refresh tokens of tables from TokenGate 0.1, which had no issuer, were given to this application (the first to start on them)");
    public static final LogId CODE_REPLAYED = new LogId("TG-1012", Level.WARNING,
            "an authorization code of client {0} for subject {1} was used again (from {2}): what its first use issued is revoked",
            "an authorization code came back after it was used (RFC 6749 §4.1.2): theft, or a client that sent it twice; its family is revoked");
    public static final LogId IDENTITY_STORE_FAILED = new LogId("TG-1101", Level.ERROR,
            "the identity store failed during a password grant: {0}",
            "the identity store failed during a password grant: answered 503 temporarily_unavailable");
    public static final LogId STORE_UNAVAILABLE = new LogId("TG-1102", Level.ERROR, "the refresh-token store is unavailable: {0}",
            "the database failed during a token request: answered 503 temporarily_unavailable, nothing half-written");
    public static final LogId ENDPOINT_FAILED = new LogId("TG-1103", Level.ERROR, "unexpected failure at the token endpoint",
            "an unexpected error at the token endpoint: answered 500 server_error (with the stack trace here)");

    private CoreLog() {
    }
}
