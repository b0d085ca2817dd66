package io.tokengate.core.config;

/**
 * Every configuration key of TokenGate, with its default and meaning. The same names work as servlet
 * init-params and context-params and as MicroProfile Config properties; the README's configuration table lists
 * exactly these (a test keeps it so).
 */
public enum Setting {
    ISSUER("tokengate.issuer", null, "The issuer identifier: written as `iss`, required exactly by the validator, the prefix of every endpoint URL in the metadata. Required."),
    AUDIENCE("tokengate.audience", "the issuer", "The `aud` of every access token, and what the validator requires (comma-separated: any one)."),
    ACCESS_TOKEN_LIFETIME("tokengate.access-token-lifetime", "PT5M", "Default access-token lifetime (clients may set their own)."),
    MAX_TOKEN_LIFETIME("tokengate.max-token-lifetime", "PT1H", "Longest access-token lifetime the validator accepts; revocation entries live this long."),
    CLOCK_SKEW("tokengate.clock-skew", "PT30S", "Tolerance for `exp`, `nbf` and `iat`."),
    MAX_TOKEN_LENGTH("tokengate.max-token-length", "8192", "Longer bearer tokens are refused before any parsing."),
    VERIFIED_TOKEN_CACHE_SIZE("tokengate.verified-token-cache-size", "10000", "How many verified access tokens the validator remembers: the same token again skips parsing and signature checking until it expires (revocation is still checked every time; a key rotation or retirement empties it). `0` turns it off."),
    ACCEPT_JWT_TYPE("tokengate.accept-jwt-type", "false", "Migration switch: also accept `typ: JWT` (ID tokens carry it, so keep it off)."),
    GROUPS_CLAIM("tokengate.groups-claim", "groups", "Name of the roles/groups claim."),
    KEYS_SOURCE("tokengate.keys.source", "generated", "Where signing keys come from: `generated` (a development key set kept in `tokengate.keys.directory`), `pkcs12`, `pem` or `jwks`."),
    KEYS_ALGORITHM("tokengate.keys.algorithm", "RS256", "Algorithm of generated keys (`RS256`, `PS256`, `ES256`, `EdDSA`); for keystore and PEM sources, RS256 or PS256 for RSA keys."),
    KEYS_DIRECTORY("tokengate.keys.directory", "`.tokengate/keys` in the user's home", "Folder of the generated key set (`tokengate-keys.jwks.json`) and the generated refresh-token secret (`tokengate-refresh-secret.txt`); made owner-only."),
    KEYS_KEYSTORE("tokengate.keys.keystore", null, "PKCS#12 keystore path (source `pkcs12`)."),
    KEYS_KEYSTORE_PASSWORD("tokengate.keys.keystore-password", null, "Its password; `${env:NAME}` or `${file:/path}` read it from an environment variable or a file."),
    KEYS_ACTIVE("tokengate.keys.active", null, "The key that signs: keystore alias, PEM file or JWK `kid` (sources `pkcs12`, `pem`, `jwks`)."),
    KEYS_NEXT("tokengate.keys.next", null, "The key published before it signs (alias, PEM file or `kid`)."),
    KEYS_PREVIOUS("tokengate.keys.previous", null, "Keys that still verify (comma-separated aliases or PEM files)."),
    KEYS_JWKS_FILE("tokengate.keys.jwks-file", null, "JWK Set file with private keys (source `jwks`)."),
    REFRESH_TOKEN_SECRETS("tokengate.refresh-token-secrets", "generated in `tokengate.keys.directory`", "Secrets for the keyed hashes of refresh tokens: `id:base64url-key` (32+ bytes), comma-separated, current first; `${env:...}`/`${file:...}` allowed."),
    CLIENTS("tokengate.clients", null, "Client registry file (`.properties` or `.json`), a path or `/WEB-INF/...` inside the WAR; see the client registry table. Without it only clients given in code exist."),
    REALM("tokengate.realm", "tokengate", "Realm of `WWW-Authenticate` challenges."),
    CREDENTIAL_VERIFIER("tokengate.credential-verifier", null, "Class name of a `CredentialVerifier` (public no-argument constructor) that enables the password grant for the clients allowed it; the EE extension uses the container's identity stores instead."),
    STORE("tokengate.store", "jpa", "Where refresh tokens live: `jpa` (the server's datasource, tables created when missing) or `memory` (tests and demos only: lost on restart; logs warning TG-0301)."),
    DATASOURCE("tokengate.datasource", "java:comp/DefaultDataSource", "JNDI name of the datasource of the `jpa` store."),
    SCHEMA_GENERATION("tokengate.schema-generation", "create", "`create`: the `jpa` store creates its tables and indexes when they are missing; `none`: it only uses them (a DBA applied the shipped DDL, see Storage)."),
    ENDPOINTS("tokengate.endpoints", "false", "`true` registers the token, revocation, introspection, JWKS and metadata endpoints at the paths below, with no servlet declarations."),
    TOKEN_PATH("tokengate.token-path", "/oauth/token", "Path of the token endpoint (relative to the application)."),
    REVOCATION_PATH("tokengate.revocation-path", "/oauth/revoke", "Path of the RFC 7009 revocation endpoint."),
    INTROSPECTION_PATH("tokengate.introspection-path", "/oauth/introspect", "Path of the RFC 7662 introspection endpoint."),
    JWKS_PATH("tokengate.jwks-path", "/oauth/jwks", "Path of the JWKS endpoint. The RFC 8414 metadata is always at `/.well-known/oauth-authorization-server`."),
    REQUIRED_SCOPES("tokengate.required-scopes", null, "Scopes a token needs, per URL pattern of the filter: `/admin/*=admin; /api/orders/*=orders.read orders.write` (all listed scopes are required)."),
    SCOPE_ROLES("tokengate.scope-roles", null, "Roles granted by scopes, besides the groups claim: `orders.write=order-clerk, admin=administrator`."),
    ACCESS_TOKEN_QUERY_PARAMETER("tokengate.access-token-query-parameter", "false", "Also accept the token in the `access_token` query parameter (RFC 6750 §2.3); off because URLs end up in logs."),
    ACCESS_TOKEN_COOKIE("tokengate.access-token-cookie", null, "Name of a cookie that may carry the access token; unset: cookies are not read."),
    ALLOWED_ORIGINS("tokengate.allowed-origins", "the issuer's origin", "Origins a cookie-mode refresh may come from (the `Origin` header check of the CSRF defence), comma-separated."),
    COOKIE_INSECURE_LOCALHOST("tokengate.cookie-insecure-localhost", "false", "Development over http://localhost only: the refresh cookie loses `Secure` and its `__Secure-` prefix (warning TG-0302)."),
    JWKS_MAX_AGE("tokengate.jwks-max-age", "PT5M", "`Cache-Control: max-age` of the JWKS: stage a next key at least this long before rotating to it."),
    MAX_REQUEST_SIZE("tokengate.max-request-size", "65536", "Largest endpoint request body in bytes; larger requests get `invalid_request`."),
    MECHANISM("tokengate.mechanism", "false", "EE extension: `true` makes TokenGate the application's Jakarta Security authentication mechanism (like `@TokenGateDefinition`). Read from MicroProfile Config or system properties only: it must be known before the application starts."),
    HANDOFF_PATH("tokengate.handoff-path", "/oauth/handoff", "EE extension: path of the container-login hand-off endpoint (with `tokengate.endpoints=true`)."),
    ADMIN_PATH("tokengate.admin-path", "/tokengate/admin", "EE extension: path of the administration API for `tokengate-admin` callers (with `tokengate.endpoints=true`)."),
    ADMIN_ROLE("tokengate.admin-role", "tokengate-admin", "EE extension: the role that may use the administration API."),
    REVOCATION_REGISTRY("tokengate.revocation-registry", "auto", "EE extension: where revocations live: `jcache` (shared by the cluster; fails the start without JCache), `memory` (this server only) or `auto` (JCache when available). Logged at start-up as TG-0401."),
    CLEANUP_INTERVAL("tokengate.cleanup-interval", "PT10M", "EE extension: how often expired families and long-rotated tokens are deleted; `PT0S` turns the scheduled cleanup off."),
    CLEANUP_BATCH_SIZE("tokengate.cleanup-batch-size", "1000", "EE extension: rows deleted per cleanup transaction (a run repeats batches until nothing is left)."),
    CLEANUP_KEEP_REVOKED("tokengate.cleanup-keep-revoked", "P7D", "How long a revoked family is kept, so replays of its tokens are still recognised."),
    CLEANUP_KEEP_ROTATED("tokengate.cleanup-keep-rotated", "P30D", "How long the record of a rotated token is kept while its family lives (at least `PT1H`); older replays are answered as unknown tokens (`invalid_grant`, the family is not revoked).");

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The configuration key, e.g. {@code tokengate.issuer}. */
    public String key() {
        return key;
    }

    /** The default as documented (a value or a phrase), or null when the setting has none. */
    public String documentedDefault() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public static java.util.Optional<Setting> forKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return java.util.Optional.of(s);
            }
        }
        return java.util.Optional.empty();
    }
}
